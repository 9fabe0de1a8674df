// RUN: llmos-opt --llmos-convert-to-linalg --split-input-file %s | FileCheck %s

// A constant-axes reduction is one reduction generic; keepdims reshapes.
// CHECK-LABEL: func.func @reduce_sum_keepdims
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: arith.addf
// CHECK: tensor.expand_shape
func.func @reduce_sum_keepdims(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  %axes = llmos.constant dense<1> : tensor<1xi64>
  %0 = llmos.reduce_sum %x, %axes : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

// Axes known only at run time switch over the reductions whose result
// fits the declared type: with keepdims, any mask fits tensor<?x?xf32>, but
// only reducing axis 1 (mask 2) gives tensor<2x1xf32>.
// CHECK-LABEL: func.func @reduce_runtime_axes
// CHECK: scf.index_switch
// CHECK: case 1 {
// CHECK: case 2 {
// CHECK: case 3 {
// CHECK: default {
func.func @reduce_runtime_axes(%x: tensor<2x3xf32>, %axes: tensor<1xi64>) -> tensor<?x?xf32> {
  %0 = llmos.reduce_max %x, %axes : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// CHECK-LABEL: func.func @reduce_runtime_axes_static
// CHECK: scf.index_switch
// CHECK-NOT: case 1 {
// CHECK: case 2 {
// CHECK-NOT: case 3 {
// CHECK: default {
func.func @reduce_runtime_axes_static(%x: tensor<2x3xf32>, %axes: tensor<1xi64>) -> tensor<2x1xf32> {
  %0 = llmos.reduce_max %x, %axes : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

// Softmax: max, exp(x - max), sum, divide.
// CHECK-LABEL: func.func @softmax
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: arith.divf
func.func @softmax(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = llmos.softmax %x {axis = -1 : i64} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// CumSum with a run-time axis switches over the axes.
// CHECK-LABEL: func.func @cumsum_runtime_axis
// CHECK: scf.index_switch
// CHECK: case 0 {
// CHECK: case 1 {
func.func @cumsum_runtime_axis(%x: tensor<2x3xf32>, %axis: tensor<i64>) -> tensor<2x3xf32> {
  %0 = llmos.cum_sum %x, %axis : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Tests that CumProd is CumSum's generic with a product: the output starts at
// 1 and an exclusive reverse product takes the x[j] with j > i.
// CHECK-LABEL: func.func @cumprod_exclusive_reverse
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: linalg.fill ins(%[[ONE]] : f32)
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: arith.cmpi ugt
// CHECK: arith.mulf
func.func @cumprod_exclusive_reverse(%x: tensor<5xf32>) -> tensor<5xf32> {
  %axis = llmos.constant dense<0> : tensor<i64>
  %0 = llmos.cum_prod %x, %axis {exclusive = 1 : i64, reverse = 1 : i64} : (tensor<5xf32>, tensor<i64>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// keepdims re-inserts the reduced axis only: the input's own unit dim (dim 1)
// stays where it is and the run-time size of dim 2 is the reduced tensor's
// dim 2 (it once came from its static dim 1, giving 1 at run time).
// CHECK-LABEL: func.func @reduce_max_keepdims_after_unit_dim
// CHECK: %[[R:.*]] = linalg.generic
// CHECK-DAG: %[[D0:.*]] = tensor.dim %[[R]], %c0{{.*}} : tensor<?x1x?xf32>
// CHECK-DAG: %[[D2:.*]] = tensor.dim %[[R]], %c2{{.*}} : tensor<?x1x?xf32>
// CHECK: tensor.from_elements %[[D0]], %{{.*}}, %[[D2]], %{{.*}} : tensor<4xindex>
func.func @reduce_max_keepdims_after_unit_dim(%x: tensor<?x1x?x?xf32>) -> tensor<?x1x?x1xf32> {
  %axes = llmos.constant dense<-1> : tensor<1xi64>
  %r = llmos.reduce_max %x, %axes : (tensor<?x1x?x?xf32>, tensor<1xi64>) -> tensor<?x1x?x1xf32>
  return %r : tensor<?x1x?x1xf32>
}
