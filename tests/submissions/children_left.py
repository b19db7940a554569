# Child processes left running: a detached sleep and a double-forked daemon.
import os
import subprocess
import time

subprocess.Popen(["sleep", "987654"], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(987654)
    os._exit(0)
