/*
 * blas_shim.c - OpenCV's BLAS/LAPACK entry points, forwarded to numpy's OpenBLAS.
 *
 * Why this exists: the opencv-python-headless wheel ships its own OpenBLAS
 * (libopenblasp-r0-*.so, ~39 MB plus libgfortran/libquadmath) while numpy ships another one
 * (libscipy_openblas64_-*.so, ~25 MB). cv2 uses only 19 functions of its copy. This shim is
 * built with the SONAME (and file name) of OpenCV's OpenBLAS, so cv2's DT_NEEDED entry
 * resolves to it, and each function forwards to numpy's library, which the shim NEEDs and
 * finds through RUNPATH $ORIGIN/../numpy.libs. The frozen bundle can then drop OpenCV's copy.
 *
 * The two libraries differ in interface, not in maths:
 *   - numpy's build is ILP64: every BLAS/LAPACK integer is 64-bit, and its symbols are
 *     renamed (cblas_sgemm -> scipy_cblas_sgemm64_, dgesv_ -> scipy_dgesv_64_).
 *   - cv2 was compiled against LP64 (32-bit int) prototypes.
 *
 * Integer conversion rule: every integer cv2 passes in (by value for CBLAS, by pointer for
 * LAPACK) is sign-extended to int64_t (so the workspace query lwork = -1 stays -1); every
 * integer LAPACK writes back (info, the pivot array ipiv) is narrowed to int after the call.
 * Narrowing cannot overflow: those values are bounded by the 32-bit sizes cv2 passed in.
 * Integer arrays get a temporary int64_t copy of the length LAPACK documents: ipiv has
 * min(m,n) entries for ?getrf and n for ?gesv; ?gesdd's integer workspace iwork has
 * 8*min(m,n) (it is scratch space, so it is not copied back). CBLAS enum arguments (order,
 * transpose) are C enums, i.e. int, in both interfaces and pass through unchanged.
 *
 * Hidden string lengths: the LAPACK routines taking CHARACTER arguments (jobz, uplo, trans)
 * are Fortran, which passes each string's length as an extra size_t argument after all the
 * others. cv2 calls them from C with one-character, NUL-terminated strings and may or may not
 * pass those lengths (it depends on the LAPACK headers it was built with), so the shim always
 * passes 1 for each: LAPACK only reads the first character of these options.
 *
 * Thread safety: no global state; temporary arrays are per call (stack for small sizes,
 * heap otherwise). If the heap allocation fails the process aborts with a message, the same
 * outcome as the operator new failure OpenCV itself would hit at that size.
 *
 * Compile with -DBLAS_SHIM_TRACE to log each forwarded call's name to stderr (tests use this
 * to prove a given cv2 call really reached LAPACK rather than OpenCV's own small-matrix code).
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define SHIM_EXPORT __attribute__((visibility("default")))

typedef int64_t blas64;

#ifdef BLAS_SHIM_TRACE
#define TRACE(name) fprintf(stderr, "blas_shim: %s\n", name)
#else
#define TRACE(name) ((void)0)
#endif

/* ---- numpy's ILP64 OpenBLAS (scipy-openblas64) ----------------------------------------- */

extern void scipy_cblas_sgemm64_(int order, int ta, int tb, blas64 m, blas64 n, blas64 k,
                                 float alpha, const float *a, blas64 lda, const float *b,
                                 blas64 ldb, float beta, float *c, blas64 ldc);
extern void scipy_cblas_dgemm64_(int order, int ta, int tb, blas64 m, blas64 n, blas64 k,
                                 double alpha, const double *a, blas64 lda, const double *b,
                                 blas64 ldb, double beta, double *c, blas64 ldc);
extern void scipy_cblas_cgemm64_(int order, int ta, int tb, blas64 m, blas64 n, blas64 k,
                                 const void *alpha, const void *a, blas64 lda, const void *b,
                                 blas64 ldb, const void *beta, void *c, blas64 ldc);
extern void scipy_cblas_zgemm64_(int order, int ta, int tb, blas64 m, blas64 n, blas64 k,
                                 const void *alpha, const void *a, blas64 lda, const void *b,
                                 blas64 ldb, const void *beta, void *c, blas64 ldc);

extern void scipy_sgesv_64_(const blas64 *n, const blas64 *nrhs, float *a, const blas64 *lda,
                            blas64 *ipiv, float *b, const blas64 *ldb, blas64 *info);
extern void scipy_dgesv_64_(const blas64 *n, const blas64 *nrhs, double *a, const blas64 *lda,
                            blas64 *ipiv, double *b, const blas64 *ldb, blas64 *info);
extern void scipy_sgetrf_64_(const blas64 *m, const blas64 *n, float *a, const blas64 *lda,
                             blas64 *ipiv, blas64 *info);
extern void scipy_dgetrf_64_(const blas64 *m, const blas64 *n, double *a, const blas64 *lda,
                             blas64 *ipiv, blas64 *info);
extern void scipy_sposv_64_(const char *uplo, const blas64 *n, const blas64 *nrhs, float *a,
                            const blas64 *lda, float *b, const blas64 *ldb, blas64 *info,
                            size_t uplo_len);
extern void scipy_dposv_64_(const char *uplo, const blas64 *n, const blas64 *nrhs, double *a,
                            const blas64 *lda, double *b, const blas64 *ldb, blas64 *info,
                            size_t uplo_len);
extern void scipy_spotrf_64_(const char *uplo, const blas64 *n, float *a, const blas64 *lda,
                             blas64 *info, size_t uplo_len);
extern void scipy_dpotrf_64_(const char *uplo, const blas64 *n, double *a, const blas64 *lda,
                             blas64 *info, size_t uplo_len);
extern void scipy_sgesdd_64_(const char *jobz, const blas64 *m, const blas64 *n, float *a,
                             const blas64 *lda, float *s, float *u, const blas64 *ldu,
                             float *vt, const blas64 *ldvt, float *work, const blas64 *lwork,
                             blas64 *iwork, blas64 *info, size_t jobz_len);
extern void scipy_dgesdd_64_(const char *jobz, const blas64 *m, const blas64 *n, double *a,
                             const blas64 *lda, double *s, double *u, const blas64 *ldu,
                             double *vt, const blas64 *ldvt, double *work, const blas64 *lwork,
                             blas64 *iwork, blas64 *info, size_t jobz_len);
extern void scipy_sgeqrf_64_(const blas64 *m, const blas64 *n, float *a, const blas64 *lda,
                             float *tau, float *work, const blas64 *lwork, blas64 *info);
extern void scipy_dgeqrf_64_(const blas64 *m, const blas64 *n, double *a, const blas64 *lda,
                             double *tau, double *work, const blas64 *lwork, blas64 *info);
extern void scipy_sgels_64_(const char *trans, const blas64 *m, const blas64 *n,
                            const blas64 *nrhs, float *a, const blas64 *lda, float *b,
                            const blas64 *ldb, float *work, const blas64 *lwork, blas64 *info,
                            size_t trans_len);
extern void scipy_dgels_64_(const char *trans, const blas64 *m, const blas64 *n,
                            const blas64 *nrhs, double *a, const blas64 *lda, double *b,
                            const blas64 *ldb, double *work, const blas64 *lwork, blas64 *info,
                            size_t trans_len);
extern void scipy_dgeev_64_(const char *jobvl, const char *jobvr, const blas64 *n, double *a,
                            const blas64 *lda, double *wr, double *wi, double *vl,
                            const blas64 *ldvl, double *vr, const blas64 *ldvr, double *work,
                            const blas64 *lwork, blas64 *info, size_t jobvl_len,
                            size_t jobvr_len);

/* ---- temporary int64 arrays ------------------------------------------------------------- */

/* Up to this many entries live on the stack; OpenCV only reaches LAPACK from 25-100 rows on,
 * so typical calls never touch the heap. */
#define SMALL_INTS 512

typedef struct {
    blas64 small[SMALL_INTS];
    blas64 *data;
} int_buffer;

static blas64 *int_buffer_get(int_buffer *buf, int count) {
    size_t n = count > 0 ? (size_t)count : 1; /* LAPACK may be handed n = 0 */
    if (n <= SMALL_INTS) {
        buf->data = buf->small;
    } else {
        buf->data = malloc(n * sizeof(blas64));
        if (buf->data == NULL) {
            fprintf(stderr, "blas_shim: out of memory for %zu LAPACK integers\n", n);
            abort();
        }
    }
    return buf->data;
}

static void int_buffer_release(int_buffer *buf) {
    if (buf->data != buf->small) free(buf->data);
}

static int min_int(int a, int b) { return a < b ? a : b; }

/* Copies LAPACK's 1-based pivot indices back into cv2's int array. */
static void narrow_ints(const blas64 *src, int *dst, int count) {
    for (int i = 0; i < count; i++) dst[i] = (int)src[i];
}

/* ---- CBLAS: integers by value ---------------------------------------------------------- */

SHIM_EXPORT void cblas_sgemm(int order, int ta, int tb, int m, int n, int k, float alpha,
                             const float *a, int lda, const float *b, int ldb, float beta,
                             float *c, int ldc) {
    TRACE("cblas_sgemm");
    scipy_cblas_sgemm64_(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

SHIM_EXPORT void cblas_dgemm(int order, int ta, int tb, int m, int n, int k, double alpha,
                             const double *a, int lda, const double *b, int ldb, double beta,
                             double *c, int ldc) {
    TRACE("cblas_dgemm");
    scipy_cblas_dgemm64_(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/* Complex alpha/beta are passed by pointer in CBLAS, so only the sizes change. */
SHIM_EXPORT void cblas_cgemm(int order, int ta, int tb, int m, int n, int k, const void *alpha,
                             const void *a, int lda, const void *b, int ldb, const void *beta,
                             void *c, int ldc) {
    TRACE("cblas_cgemm");
    scipy_cblas_cgemm64_(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

SHIM_EXPORT void cblas_zgemm(int order, int ta, int tb, int m, int n, int k, const void *alpha,
                             const void *a, int lda, const void *b, int ldb, const void *beta,
                             void *c, int ldc) {
    TRACE("cblas_zgemm");
    scipy_cblas_zgemm64_(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/* ---- LAPACK: integers by pointer ------------------------------------------------------- */

/* ?gesv: solve A X = B by LU; ipiv (out) has n entries. */
#define DEFINE_GESV(prefix, real)                                                             \
    SHIM_EXPORT void prefix##gesv_(const int *n, const int *nrhs, real *a, const int *lda,    \
                                   int *ipiv, real *b, const int *ldb, int *info) {           \
        TRACE(#prefix "gesv_");                                                               \
        blas64 n64 = *n, nrhs64 = *nrhs, lda64 = *lda, ldb64 = *ldb, info64 = 0;              \
        int_buffer piv;                                                                       \
        blas64 *ipiv64 = int_buffer_get(&piv, *n);                                            \
        scipy_##prefix##gesv_64_(&n64, &nrhs64, a, &lda64, ipiv64, b, &ldb64, &info64);       \
        narrow_ints(ipiv64, ipiv, *n);                                                        \
        int_buffer_release(&piv);                                                             \
        *info = (int)info64;                                                                  \
    }
DEFINE_GESV(s, float)
DEFINE_GESV(d, double)

/* ?getrf: LU factorisation; ipiv (out) has min(m,n) entries. */
#define DEFINE_GETRF(prefix, real)                                                            \
    SHIM_EXPORT void prefix##getrf_(const int *m, const int *n, real *a, const int *lda,      \
                                    int *ipiv, int *info) {                                   \
        TRACE(#prefix "getrf_");                                                              \
        blas64 m64 = *m, n64 = *n, lda64 = *lda, info64 = 0;                                  \
        int count = min_int(*m, *n);                                                          \
        int_buffer piv;                                                                       \
        blas64 *ipiv64 = int_buffer_get(&piv, count);                                         \
        scipy_##prefix##getrf_64_(&m64, &n64, a, &lda64, ipiv64, &info64);                    \
        narrow_ints(ipiv64, ipiv, count);                                                     \
        int_buffer_release(&piv);                                                             \
        *info = (int)info64;                                                                  \
    }
DEFINE_GETRF(s, float)
DEFINE_GETRF(d, double)

/* ?posv: solve A X = B by Cholesky. */
#define DEFINE_POSV(prefix, real)                                                             \
    SHIM_EXPORT void prefix##posv_(const char *uplo, const int *n, const int *nrhs, real *a,  \
                                   const int *lda, real *b, const int *ldb, int *info) {      \
        TRACE(#prefix "posv_");                                                               \
        blas64 n64 = *n, nrhs64 = *nrhs, lda64 = *lda, ldb64 = *ldb, info64 = 0;              \
        scipy_##prefix##posv_64_(uplo, &n64, &nrhs64, a, &lda64, b, &ldb64, &info64, 1);      \
        *info = (int)info64;                                                                  \
    }
DEFINE_POSV(s, float)
DEFINE_POSV(d, double)

/* ?potrf: Cholesky factorisation. */
#define DEFINE_POTRF(prefix, real)                                                            \
    SHIM_EXPORT void prefix##potrf_(const char *uplo, const int *n, real *a, const int *lda,  \
                                    int *info) {                                              \
        TRACE(#prefix "potrf_");                                                              \
        blas64 n64 = *n, lda64 = *lda, info64 = 0;                                            \
        scipy_##prefix##potrf_64_(uplo, &n64, a, &lda64, &info64, 1);                         \
        *info = (int)info64;                                                                  \
    }
DEFINE_POTRF(s, float)
DEFINE_POTRF(d, double)

/* ?gesdd: SVD by divide and conquer; iwork is scratch of 8*min(m,n) entries (not read back).
 * lwork = -1 (workspace query) is forwarded as -1; the answer comes back in work[0]. */
#define DEFINE_GESDD(prefix, real)                                                            \
    SHIM_EXPORT void prefix##gesdd_(const char *jobz, const int *m, const int *n, real *a,    \
                                    const int *lda, real *s, real *u, const int *ldu,         \
                                    real *vt, const int *ldvt, real *work, const int *lwork,  \
                                    int *iwork, int *info) {                                  \
        TRACE(#prefix "gesdd_");                                                              \
        (void)iwork; /* cv2's scratch array is replaced by a 64-bit one */                    \
        blas64 m64 = *m, n64 = *n, lda64 = *lda, ldu64 = *ldu, ldvt64 = *ldvt;                \
        blas64 lwork64 = *lwork, info64 = 0;                                                  \
        int_buffer scratch;                                                                   \
        blas64 *iwork64 = int_buffer_get(&scratch, 8 * min_int(*m, *n));                      \
        scipy_##prefix##gesdd_64_(jobz, &m64, &n64, a, &lda64, s, u, &ldu64, vt, &ldvt64,     \
                                  work, &lwork64, iwork64, &info64, 1);                       \
        int_buffer_release(&scratch);                                                         \
        *info = (int)info64;                                                                  \
    }
DEFINE_GESDD(s, float)
DEFINE_GESDD(d, double)

/* ?geqrf: QR factorisation (lwork = -1 queries the workspace size). */
#define DEFINE_GEQRF(prefix, real)                                                            \
    SHIM_EXPORT void prefix##geqrf_(const int *m, const int *n, real *a, const int *lda,      \
                                    real *tau, real *work, const int *lwork, int *info) {     \
        TRACE(#prefix "geqrf_");                                                              \
        blas64 m64 = *m, n64 = *n, lda64 = *lda, lwork64 = *lwork, info64 = 0;                \
        scipy_##prefix##geqrf_64_(&m64, &n64, a, &lda64, tau, work, &lwork64, &info64);       \
        *info = (int)info64;                                                                  \
    }
DEFINE_GEQRF(s, float)
DEFINE_GEQRF(d, double)

/* ?gels: least squares by QR (lwork = -1 queries the workspace size). */
#define DEFINE_GELS(prefix, real)                                                             \
    SHIM_EXPORT void prefix##gels_(const char *trans, const int *m, const int *n,             \
                                   const int *nrhs, real *a, const int *lda, real *b,         \
                                   const int *ldb, real *work, const int *lwork, int *info) { \
        TRACE(#prefix "gels_");                                                               \
        blas64 m64 = *m, n64 = *n, nrhs64 = *nrhs, lda64 = *lda, ldb64 = *ldb;                \
        blas64 lwork64 = *lwork, info64 = 0;                                                  \
        scipy_##prefix##gels_64_(trans, &m64, &n64, &nrhs64, a, &lda64, b, &ldb64, work,      \
                                 &lwork64, &info64, 1);                                       \
        *info = (int)info64;                                                                  \
    }
DEFINE_GELS(s, float)
DEFINE_GELS(d, double)

/* dgeev: non-symmetric eigenproblem (cv2 imports only the double version). */
SHIM_EXPORT void dgeev_(const char *jobvl, const char *jobvr, const int *n, double *a,
                        const int *lda, double *wr, double *wi, double *vl, const int *ldvl,
                        double *vr, const int *ldvr, double *work, const int *lwork,
                        int *info) {
    TRACE("dgeev_");
    blas64 n64 = *n, lda64 = *lda, ldvl64 = *ldvl, ldvr64 = *ldvr, lwork64 = *lwork;
    blas64 info64 = 0;
    scipy_dgeev_64_(jobvl, jobvr, &n64, a, &lda64, wr, wi, vl, &ldvl64, vr, &ldvr64, work,
                    &lwork64, &info64, 1, 1);
    *info = (int)info64;
}
