// Tests that llmos-opt registers the llmos passes and pipelines next to the
// upstream ones it lowers through.
//
// RUN: llmos-opt --help | FileCheck %s
// CHECK-DAG: --llmos-graph-pipeline
// CHECK-DAG: --llmos-shape-inference
// CHECK-DAG: --one-shot-bufferize
// RUN: llmos-opt %s --llmos-graph-pipeline | FileCheck %s --check-prefix=PIPELINE

// PIPELINE: func.func @f(%{{.*}}: tensor<2x3xf32>) -> tensor<2xi64>
// PIPELINE: llmos.constant dense<[2, 3]> : tensor<2xi64>
func.func @f(%x: tensor<2x3xf32>) -> tensor<*xi64> {
  %s = llmos.shape %x : (tensor<2x3xf32>) -> tensor<*xi64>
  return %s : tensor<*xi64>
}
