# 8 GiB at once: over the grader's memory limit (6 GiB by default), refused before it is used.
import numpy as np

hog = np.ones((1024, 1024, 1024), dtype="float64")
