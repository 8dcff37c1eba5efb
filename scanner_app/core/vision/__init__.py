"""Vision: from a camera, a video, a folder or a photo to the codes in view.

Frame sources (``frame_source``, ``capture``, ``file_sources``, ``cameras``, ``synthetic`` with
``label_art`` and ``scene_timeline``), the guards on image files (``image_limits``,
``image_headers``, ``image_io``), the decoder (``preprocess``, ``decoding`` over the ranked
``engines``), the live loop's ``motion_gate`` and the ``tracker`` that confirms a code once.
Knows nothing of Graph, the journal or the outbox (an import-linter contract).
"""
