//===- Passes.td - llmos code generation passes ------------*- tablegen -*-===//

#ifndef LLMOS_CODEGEN_PASSES_TD
#define LLMOS_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def RecordSignaturePass : Pass<"llmos-record-signature", "ModuleOp"> {
  let summary = "Record the model's input and output signature";
  let description = [{
    Stores what the runtime needs to know about the entry function `main`
    in a module attribute `llmos.signature`, before lowering erases it: the
    ONNX names of the inputs and outputs (`llmos.name` argument and result
    attributes), their ONNX element types (unsigned types included, which
    the lowering turns into signless ones), dims (-1 where dynamic) and the
    names of symbolic dims (`llmos.dim_names`).

    Each input and output is a dictionary such as
    `{name = "x", dtype = 1 : i32, dims = array<i64: -1, 3>,
    dim_names = ["batch", ""]}` in the `inputs` and `outputs` lists.
  }];
  let options = [
    Option<"modelName", "model-name", "std::string", /*default=*/"\"model\"",
           "The model's name as the runtime reports it">,
  ];
}

def EmitModelInfoPass : Pass<"llmos-emit-model-info", "ModuleOp"> {
  let summary = "Emit the runtime entry point and model description";
  let description = [{
    Runs on the LLVM dialect, after the lowering of `main`. From the
    `llmos.signature` attribute it creates:
    - `<symbol>_entry(void **descriptors)`, which loads one memref
      descriptor per input, calls `main` and stores one per output (the ABI
      of `llmos_abi.h`);
    - constant globals describing the inputs and outputs, and the
      `llmos_model_info` record;
    - `const llmos_model_info *<symbol>_info(void)` returning it, and, with
      `export-get`, `llmos_model_info_get` as well (what shared libraries
      and executables export).
    Every other function defined in the module gets internal linkage, so
    several models link into one program without clashes.
  }];
  let options = [
    Option<"symbol", "symbol", "std::string", /*default=*/"\"llmos_model\"",
           "Prefix of the exported symbols">,
    Option<"exportGet", "export-get", "bool", /*default=*/"false",
           "Also define llmos_model_info_get">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def FuseElementwisePass : Pass<"llmos-fuse-elementwise", "func::FuncOp"> {
  let summary = "Fuse elementwise linalg.generic producers into consumers";
  let description = [{
    Upstream's elementwise fusion patterns, without the reshape propagation
    of `linalg-fuse-elementwise-ops`: that one folds reshapes into named
    contractions by turning them into linalg.generic, which would hide
    `linalg.matmul` from `llmos-outline-microkernels`. Fusing a producer
    into its consumer never duplicates a producer that has other users.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def PlanMemoryPass : Pass<"llmos-plan-memory", "func::FuncOp"> {
  let summary = "Place a block's temporary buffers in one arena by liveness";
  let description = [{
    On bufferized code (after the deallocation pipeline), plans the memory
    of each block: every `memref.alloc` of a static, identity-layout buffer
    whose only `memref.dealloc` is in the same block lives from the alloc
    to the last op in the block that uses it or a view of it (ops in nested
    regions count at their ancestor in the block; the deallocation pipeline
    puts deallocs late, so they do not end a lifetime). Buffers whose
    lifetimes do not overlap share memory:
    offsets are assigned greedily, largest buffer first, each at the lowest
    64-byte aligned offset free for its whole lifetime. The block then
    allocates one i8 arena at its start, takes each buffer as a
    `memref.view` at its offset, and frees the arena before its terminator.
    Buffers of dynamic size (or another layout) are not placed, but their
    dealloc moves right
    after their last use, so that the runtime's block cache can reuse their
    memory. Buffers that may escape the block (returned, yielded, passed to
    an op with a memref result that is not a view, freed elsewhere) are
    left alone.

    ```mlir
    %a = memref.alloc() : memref<1024xf32>
    "use"(%a) : (memref<1024xf32>) -> ()    // the last use of %a
    %b = memref.alloc() : memref<512xf32>
    ...
    memref.dealloc %a : memref<1024xf32>
    // =>
    %arena = memref.alloc() {alignment = 64 : i64} : memref<4096xi8>
    %a = memref.view %arena[%c0][] : memref<4096xi8> to memref<1024xf32>
    %b = memref.view %arena[%c0][] : memref<4096xi8> to memref<512xf32>
    ...
    memref.dealloc %arena : memref<4096xi8>
    ```
  }];
  let options = [
    Option<"report", "report", "bool", /*default=*/"false",
           "Emit a remark per function: buffers planned, their bytes, arena bytes">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
}

def OutlineMicrokernelsPass : Pass<"llmos-outline-microkernels", "ModuleOp"> {
  let summary = "Call the runtime's microkernels for the contractions they cover";
  let description = [{
    On bufferized code, replaces each f32 `linalg.matmul` whose output has a
    unit last stride with a call of the runtime's packed, vectorized and
    multithreaded matrix multiply (`llmos_rt_matmul_f32`, C interface:
    rank-2 memref descriptors). Everything else keeps the generated loops.
    When the last op touching memory before the matmul is a `linalg.fill`
    of zeros into exactly its output, the fill is dropped and the call is
    `llmos_rt_matmul_f32_store` (C = A * B, C is not read).

    ```mlir
    linalg.matmul ins(%a, %b : memref<64x256xf32>, memref<256x49xf32>)
                  outs(%c : memref<64x49xf32>)
    // =>
    %0 = memref.cast %a : memref<64x256xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    ...
    call @llmos_rt_matmul_f32(%0, %1, %2) : (...) -> ()
    ```
  }];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::memref::MemRefDialect"];
}

def VectorizeContractionsPass : Pass<"llmos-vectorize-contractions", "func::FuncOp"> {
  let summary = "Tile and vectorize the matmuls that no microkernel takes";
  let description = [{
    The generated path for `linalg.matmul` on memrefs (f64, f16, integer
    matmuls, and f32 ones at `--no-microkernels`): the matmul is split into
    a main part whose rows and columns are multiples of the register tile
    (`mr` rows x two vectors of columns) and two remainders that keep
    `linalg.matmul` (generated loops). The main part loops over row blocks
    (`scf.parallel`, so the thread pool runs it) and column blocks; each
    block loads its mr rows of C as vectors, carries them through the k loop
    in registers (per step one vector of B, mr broadcasts of A, mr
    `vector.fma`, or multiply-adds for integers) and stores them once. No
    masks are needed: every block of the main part is full. f16 and bf16
    matmuls come with an f32 C (the lowering accumulates in f32); their
    inputs are widened as they are loaded.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"256",
           "Width of the target's vector registers in bits (128, 256, 512)">,
    Option<"rows", "rows", "int64_t", /*default=*/"4",
           "Rows of the register tile (mr)">,
  ];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

def VectorizeLoopsPass : Pass<"llmos-vectorize-loops", "func::FuncOp"> {
  let summary = "Tile and vectorize elementwise ops, reductions and windows";
  let description = [{
    The generated path for `linalg.generic` ops on memrefs whose body is
    elementwise arith / math code (the elementwise ops, broadcasts,
    reductions, pooling and depthwise convolutions of the lowering). One
    loop dim, the vector dim, is cut into chunks of `vector-bits` worth of
    the widest element type (up to four vectors per chunk); the body is
    rewritten on vectors; the other parallel dims become one `scf.parallel`
    (what `llmos-outline-parallel-loops` hands to the thread pool).

    - When the outputs' innermost dim is a parallel dim that every operand
      reads contiguously, with a constant stride (a gather), or not at all
      (a broadcast), it is the vector dim. Each chunk of the outputs is
      loaded once (when the body reads it), carried through the reduction
      loops in registers, and stored once.
    - Otherwise, for a single-output reduction whose body folds a value into
      the output with one combining op (add, mul, min, max, and, or, xor),
      the innermost reduction dim that an input reads contiguously is the
      vector dim: a vector accumulator starts at the op's neutral element,
      and one horizontal `vector.reduction` folds it into the output.

    Every chunk but the last is full; the last one uses masked loads,
    gathers and stores. Generics it does not take (transposed reads of the
    vector dim, integer division, i1 or bf16 buffers, other ops in the body)
    keep the loop path. `math` functions on vectors (exp, expm1, log,
    log1p, log2, tanh, erf, erfc) become polynomial approximations, since
    libm has no vector forms; f16 ones are computed in f32.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"256",
           "Width of the target's vector registers in bits (128, 256, 512)">,
  ];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

def OutlineParallelLoopsPass : Pass<"llmos-outline-parallel-loops", "ModuleOp"> {
  let summary = "Outline outermost scf.parallel loops for the runtime's thread pool";
  let description = [{
    Moves each outermost `scf.parallel` (no results, enough work) into a
    function `@F_parK(%lo, %hi, captures...)` that runs the loop with its
    split dim (the first that is not statically one iteration, e.g. the
    channels when the batch is 1; its step must be 1) restricted to
    [%lo, %hi), and replaces
    the loop with a call of the declaration `@F_parK_dispatch(%lb, %ub,
    captures...)`. `llmos-lower-parallel-dispatch` later defines each
    dispatch function in the LLVM dialect as a call of
    `llmos_rt_parallel_for`. Constants used in the loop are cloned into the
    body instead of being passed.
  }];
  let options = [
    Option<"minWork", "min-work", "int64_t", /*default=*/"32768",
           "Outline only loops with at least this much work: the parallel "
           "iterations times the elements the longest inner scf.for covers "
           "(dims of unknown size count as 64)">,
  ];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::scf::SCFDialect"];
}

def LowerParallelDispatchPass : Pass<"llmos-lower-parallel-dispatch", "ModuleOp"> {
  let summary = "Define the dispatch functions of outlined parallel loops";
  let description = [{
    On the LLVM dialect, gives each declaration `@F_parK_dispatch(lb, ub,
    args...)` left by `llmos-outline-parallel-loops` a body that stores
    `args` in a stack record and calls `llmos_rt_parallel_for(lb, ub,
    @F_parK_trampoline, record)`; the trampoline loads the record and calls
    `@F_parK(lo, hi, args...)`.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def LowerCopiesPass : Pass<"llmos-lower-copies", "func::FuncOp"> {
  let summary = "Turn memref.copy into linalg.copy";
  let description = [{
    `memref.copy` between buffers with layouts that are not both identity
    lowers to a call of the `memrefCopy` library function of MLIR's C
    runner utilities, which compiled models do not link. This pass turns
    every `memref.copy` into a `linalg.copy`, which becomes loops (and
    vector code) like any other linalg op.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // LLMOS_CODEGEN_PASSES_TD
