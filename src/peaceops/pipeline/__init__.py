"""The build pipeline: sources -> registry -> store -> coding -> measures, atomically.

It sits above every layer it runs, so that the store knows no coder (see
docs/adr/004-pipeline-and-executor.md).
"""

from peaceops.pipeline.build import STEPS, BuildReport, build
from peaceops.pipeline.recode import recode

__all__ = ["STEPS", "BuildReport", "build", "recode"]
