"""The Qt shell: widgets only. They read and change the library through its plain-Python API and
run anything slow through `background.BackgroundOp`; no SQL, audio or HTTP in here."""
