"""The Qt-free core: domain values, decoding, capture, Graph, the journal and the workflow."""
