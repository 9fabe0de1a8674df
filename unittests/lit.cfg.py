# -*- Python -*-
# Runs the GoogleTest unit tests through lit.

import os

import lit.formats

config.name = "llmos-unit"
config.suffixes = []
config.test_source_root = os.path.join(config.llmos_obj_root, "unittests")
config.test_exec_root = config.test_source_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
