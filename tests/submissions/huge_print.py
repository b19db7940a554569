# 200 MB of output, through print and straight to the kernel's standard output.
import os
import sys

print("x" * 100_000_000)
os.write(sys.__stdout__.fileno(), b"y" * 100_000_000)
