// RUN: llmos-opt --pass-pipeline='builtin.module(llmos-prune-weights{sparsity=0.5})' --split-input-file %s | FileCheck %s
// RUN: llmos-opt --pass-pipeline='builtin.module(llmos-prune-weights{sparsity=0.5 global=true})' --split-input-file %s | FileCheck %s --check-prefix=GLOBAL
// RUN: not llmos-opt --pass-pipeline='builtin.module(llmos-prune-weights{sparsity=1.5})' %s 2>&1 | FileCheck %s --check-prefix=BAD

// Per tensor, each weight loses its two smallest magnitudes; globally the
// four smallest of all eight go (all of the first weight). Biases stay.
// CHECK-LABEL: func.func @weights
// CHECK-DAG: llmos.constant dense<{{\[}}[0.000000e+00, 0.000000e+00], [3.000000e+00, -4.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: llmos.constant dense<{{\[}}[0.000000e+00, 0.000000e+00], [3.000000e+01, 4.000000e+01]]> : tensor<2x2xf32>
// CHECK-DAG: llmos.constant dense<1.000000e-01> : tensor<2xf32>
// GLOBAL-DAG: llmos.constant dense<0.000000e+00> : tensor<2x2xf32>
// GLOBAL-DAG: llmos.constant dense<{{\[}}[1.000000e+01, 2.000000e+01], [3.000000e+01, 4.000000e+01]]> : tensor<2x2xf32>
// BAD: sparsity must be in [0, 1), got 1.5
func.func @weights(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w1 = llmos.constant dense<[[1.0, -2.0], [3.0, -4.0]]> : tensor<2x2xf32>
  %w2 = llmos.constant dense<[[10.0, 20.0], [30.0, 40.0]]> : tensor<2x2xf32>
  %b = llmos.constant dense<0.1> : tensor<2xf32>
  %0 = llmos.fused_matmul %x, %w1 bias(%b) : (tensor<3x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %1 = llmos.matmul %0, %w2 : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  return %1 : tensor<3x2xf32>
}
