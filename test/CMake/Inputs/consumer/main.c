/* Creates the model linked into this C program and prints its signature. */
#include "my_classifier.h"

#include <stdio.h>

int main(void) {
  llmos_model *model = NULL;
  llmos_status *status = llmos_model_create(my_classifier_info(), NULL, &model);
  if (status) {
    fprintf(stderr, "%s\n", llmos_status_message(status));
    llmos_status_free(status);
    return 1;
  }
  printf("%s: %lld input, %lld output (%d, %d)\n", llmos_model_name(model),
         (long long)llmos_model_num_inputs(model),
         (long long)llmos_model_num_outputs(model), MY_CLASSIFIER_NUM_INPUTS,
         MY_CLASSIFIER_NUM_OUTPUTS);
  llmos_model_release(model);
  return 0;
}
