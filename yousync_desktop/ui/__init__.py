"""The Qt shell: widgets only. They read and change the library through its plain-Python API and
run anything slow as a task (`tasks.run`; callbacks come back on the GUI thread through
`ui/tasks.py`); no SQL, audio or HTTP in here."""
