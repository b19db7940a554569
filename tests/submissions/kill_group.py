# Kill the whole process group this kernel belongs to.
import os
import signal

os.killpg(os.getpgid(0), signal.SIGKILL)
