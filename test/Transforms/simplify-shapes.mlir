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

// The sizes come from a tensor whose dims are not provably the reshaped
// tensor's (two dynamic dims broadcast against each other), so the entry is
// not a copy; it is the one unknown entry, so the Reshape infers it (-1).
// CHECK-LABEL: func.func @unproven
// CHECK: %[[S:.*]] = llmos.constant dense<[-1, 2, 4]> : tensor<3xi64>
// CHECK: llmos.reshape %{{.*}}, %[[S]]
// CHECK-NOT: llmos.shape
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

// -----

// The head split of torch's MultiheadAttention on [seq, batch, 768] (as a
// torchvision ViT exports it): the sizes read from static dims fold (197,
// 768 / 12 = 64), and the one symbolic entry, batch * 12, is inferred.
// CHECK-LABEL: func.func @heads_of_symbolic_batch
// CHECK: %[[S:.*]] = llmos.constant dense<[197, -1, 64]> : tensor<3xi64>
// CHECK: llmos.reshape %arg0, %[[S]]
// CHECK-NOT: llmos.shape
// CHECK-NOT: llmos.gather
func.func @heads_of_symbolic_batch(%x: tensor<197x?x768xf32>) -> tensor<197x?x64xf32> {
  %i0 = llmos.constant dense<0> : tensor<i64>
  %i1 = llmos.constant dense<1> : tensor<i64>
  %i2 = llmos.constant dense<2> : tensor<i64>
  %heads = llmos.constant dense<12> : tensor<i64>
  %axis = llmos.constant dense<0> : tensor<1xi64>
  %s = llmos.shape %x : (tensor<197x?x768xf32>) -> tensor<3xi64>
  %len = llmos.gather %s, %i0 : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %batch = llmos.gather %s, %i1 : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %width = llmos.gather %s, %i2 : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %dim = llmos.div %width, %heads : (tensor<i64>, tensor<i64>) -> tensor<i64>
  %bh = llmos.mul %batch, %heads : (tensor<i64>, tensor<i64>) -> tensor<i64>
  %u0 = llmos.unsqueeze %len, %axis : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %u1 = llmos.unsqueeze %bh, %axis : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %u2 = llmos.unsqueeze %dim, %axis : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %shape = llmos.concat %u0, %u1, %u2 {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<3xi64>
  %r = llmos.reshape %x, %shape : (tensor<197x?x768xf32>, tensor<3xi64>) -> tensor<197x?x64xf32>
  return %r : tensor<197x?x64xf32>
}

// -----

// Does not fire: two entries unknown (a reshape to [batch * 2, seq] of a
// [batch, seq, ...] tensor cannot infer both), and a 0 entry that copies a
// dynamic dim (-1 would divide by it, 0 at run time).
// CHECK-LABEL: func.func @two_unknown_entries
// CHECK: llmos.shape
// CHECK: llmos.concat
// CHECK: llmos.reshape
// CHECK: llmos.concat
// CHECK: llmos.reshape
func.func @two_unknown_entries(%x: tensor<?x?x2xf32>, %y: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?x2xf32>) {
  %i0 = llmos.constant dense<0> : tensor<i64>
  %i1 = llmos.constant dense<1> : tensor<i64>
  %two = llmos.constant dense<2> : tensor<i64>
  %axis = llmos.constant dense<0> : tensor<1xi64>
  %zero = llmos.constant dense<0> : tensor<1xi64>
  %s = llmos.shape %y : (tensor<?x?xf32>) -> tensor<2xi64>
  %a = llmos.gather %s, %i0 : (tensor<2xi64>, tensor<i64>) -> tensor<i64>
  %b = llmos.gather %s, %i1 : (tensor<2xi64>, tensor<i64>) -> tensor<i64>
  %a2 = llmos.mul %a, %two : (tensor<i64>, tensor<i64>) -> tensor<i64>
  %u0 = llmos.unsqueeze %a2, %axis : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %u1 = llmos.unsqueeze %b, %axis : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %shape = llmos.concat %u0, %u1 {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %r = llmos.reshape %x, %shape : (tensor<?x?x2xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %c = llmos.concat %zero, %u1, %zero {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<3xi64>
  %r2 = llmos.reshape %x, %c : (tensor<?x?x2xf32>, tensor<3xi64>) -> tensor<?x?x2xf32>
  return %r, %r2 : tensor<?x?xf32>, tensor<?x?x2xf32>
}
