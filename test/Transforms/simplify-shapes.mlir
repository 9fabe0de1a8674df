// RUN: llmos-opt --pass-pipeline='builtin.module(func.func(llmos-simplify-shapes,canonicalize))' --split-input-file %s | FileCheck %s

// The head split of attention: the batch and sequence sizes read back
// from the tensor's own shape become 0 (copy), and the shape a constant.
// The second reshape reads the sizes of another tensor that they are
// traced to (through a MatMul and an Add with a bias).
// CHECK-LABEL: func.func @head_split
// CHECK-DAG: %[[S4:.*]] = llmos.constant dense<[0, 0, 2, 4]> : tensor<4xi64>
// CHECK-DAG: %[[S3:.*]] = llmos.constant dense<[0, 0, 8]> : tensor<3xi64>
// CHECK-NOT: llmos.shape
// CHECK: llmos.reshape %{{.*}}, %[[S4]]
// CHECK: llmos.reshape %{{.*}}, %[[S3]]
func.func @head_split(%x: tensor<?x?x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>) -> (tensor<?x?x2x4xf32>, tensor<?x?x8xf32>) {
  %c0 = llmos.constant dense<0> : tensor<i64>
  %c1 = llmos.constant dense<1> : tensor<i64>
  %axis = llmos.constant dense<0> : tensor<1xi64>
  %heads = llmos.constant dense<2> : tensor<1xi64>
  %dim = llmos.constant dense<4> : tensor<1xi64>
  %width = llmos.constant dense<8> : tensor<1xi64>
  %xs = llmos.shape %x : (tensor<?x?x8xf32>) -> tensor<3xi64>
  %xb = llmos.gather %xs, %c0 : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %xt = llmos.gather %xs, %c1 : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %m = llmos.matmul %x, %w : (tensor<?x?x8xf32>, tensor<8x8xf32>) -> tensor<?x?x8xf32>
  %y = llmos.add %b, %m : (tensor<8xf32>, tensor<?x?x8xf32>) -> tensor<?x?x8xf32>
  %s = llmos.shape %y : (tensor<?x?x8xf32>) -> tensor<3xi64>
  %g0 = llmos.gather %s, %c0 : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %g1 = llmos.gather %s, %c1 : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %u0 = llmos.unsqueeze %g0, %axis : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %u1 = llmos.unsqueeze %g1, %axis : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %shape = llmos.concat %u0, %u1, %heads, %dim {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<4xi64>
  %r = llmos.reshape %y, %shape : (tensor<?x?x8xf32>, tensor<4xi64>) -> tensor<?x?x2x4xf32>
  %v0 = llmos.unsqueeze %xb, %axis : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %v1 = llmos.unsqueeze %xt, %axis : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %back = llmos.concat %v0, %v1, %width {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<3xi64>
  %r2 = llmos.reshape %r, %back : (tensor<?x?x2x4xf32>, tensor<3xi64>) -> tensor<?x?x8xf32>
  return %r, %r2 : tensor<?x?x2x4xf32>, tensor<?x?x8xf32>
}

// -----

// Does not fire: the sizes come from a tensor whose dims are not provably
// the reshaped tensor's (two dynamic dims broadcast against each other).
// CHECK-LABEL: func.func @unproven
// CHECK: llmos.shape
// CHECK: llmos.concat
func.func @unproven(%x: tensor<?x8xf32>, %y: tensor<?x8xf32>) -> tensor<?x2x4xf32> {
  %c0 = llmos.constant dense<0> : tensor<i64>
  %axis = llmos.constant dense<0> : tensor<1xi64>
  %tail = llmos.constant dense<[2, 4]> : tensor<2xi64>
  %sum = llmos.add %x, %y : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<?x8xf32>
  %s = llmos.shape %x : (tensor<?x8xf32>) -> tensor<2xi64>
  %g = llmos.gather %s, %c0 : (tensor<2xi64>, tensor<i64>) -> tensor<i64>
  %u = llmos.unsqueeze %g, %axis : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %shape = llmos.concat %u, %tail {axis = 0 : i64} : (tensor<1xi64>, tensor<2xi64>) -> tensor<3xi64>
  %r = llmos.reshape %sum, %shape : (tensor<?x8xf32>, tensor<3xi64>) -> tensor<?x2x4xf32>
  return %r : tensor<?x2x4xf32>
}
