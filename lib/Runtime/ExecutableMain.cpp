//===- ExecutableMain.cpp - main() of executables llmos-compile builds ----===//
//
// Linked into `llmos-compile --emit=exe` executables, whose model object
// defines llmos_model_info_get.
//
//===----------------------------------------------------------------------===//

#include "llmos/Runtime/llmos_runtime.h"

extern "C" const llmos_model_info *llmos_model_info_get(void);

int main(int argc, char **argv) {
  return llmos_run_main(argc, argv, llmos_model_info_get());
}
