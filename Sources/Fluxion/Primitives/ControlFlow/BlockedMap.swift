/// A batched function computed by blocks of rows: what `vmap(f)` becomes when `jit` traces it
/// directly on its arguments and the mapped axis is long (``BlockedMap/rows(for:)``).
///
/// `body` is `f` batched over `rows` slices. The mapped inputs (leading axis `blocks · rows`) are cut
/// into `blocks` consecutive blocks; the shared inputs go to every block whole; the outputs (leading
/// axis `rows` in the body) are joined in order. Blocks run one per core (``concurrentMap(_:_:)``),
/// each block's operations on its own thread, so a block's intermediate arrays stay in its core's
/// cache instead of streaming the whole batch through memory once per operation: a vmapped Laplacian
/// of an MLP over 4096 points has arrays of `[4096, 3, 128]` between its products.
///
/// Every slice is computed by the same operations as in the unblocked batch, so the values agree
/// with eager `vmap` (bit for bit where the kernels do not depend on the batch size). The transforms
/// (`grad`, `jvp`, `vmap`, Taylor mode) of a jitted function see the whole batch: their rules are
/// those of a `call` of ``whole``, the body mapped over the blocks as one batched computation.
struct BlockedMap: Primitive {
    let body: ClosedFunction
    /// Per input: whether it is cut into blocks (else shared by every block).
    let mapped: [Bool]
    let blocks: Int
    let rows: Int
    /// Per output: whether the blocks' results are added up (in block order) rather than joined.
    let summed: [Bool]

    init(body: ClosedFunction, mapped: [Bool], blocks: Int, rows: Int, summed: [Bool]? = nil) {
        self.body = body
        self.mapped = mapped
        self.blocks = blocks
        self.rows = rows
        self.summed = summed ?? body.outputTypes.map { _ in false }
    }

    var name: String { "map_blocks[\(blocks)×\(rows)]" }
    static var isFoldable: Bool { false }

    /// Rows per block for a mapped axis of `size`: the largest divisor of `size` up to 512, when the
    /// axis is long enough (1024 or more) and that leaves blocks of at least 64 rows; nil otherwise
    /// (the batch is then computed whole). Blocks of 256–512 rows measured fastest for MLP
    /// Laplacians (their arrays then fit in a 1 MiB L2); 64 rows still fill the product kernels.
    static func rows(for size: Int) -> Int? {
        guard size >= 1024 else { return nil }
        return stride(from: 512, through: 64, by: -1).first { size % $0 == 0 }
    }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let expected = wholeInputTypes
        guard inputs == expected else { shapeFailure(name, "the blocked function takes \(expected), got \(inputs)") }
        return wholeOutputTypes
    }

    /// The types of the whole batch: the mapped inputs and the joined outputs `blocks` times longer.
    private var wholeInputTypes: [TensorType] {
        zip(body.inputTypes, mapped).map { t, m in m ? t.withLeadingExtent(t.shape[0] * blocks) : t }
    }

    private var wholeOutputTypes: [TensorType] {
        zip(body.outputTypes, summed).map { t, s in s ? t : t.withLeadingExtent(t.shape[0] * blocks) }
    }

    /// Runs the blocks one per core: each copies its rows of the mapped inputs, runs the body, and
    /// writes its rows of the joined outputs in place; the summed outputs are added in block order
    /// once every block is done (so the sum does not depend on which block finished first).
    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        let outputs = wholeOutputTypes.enumerated().map { k, t in summed[k] ? nil : ArrayValue(uninitialized: t.shape, dtype: t.dtype) }
        let joined = UncheckedSendable(outputs)
        let partialSums = concurrentMap(blocks) { i -> [ArrayValue] in
            let blockInputs = zip(inputs, mapped).map { x, m in m ? Self.rows(of: x, block: i, rows: rows) : x }
            let results = body.apply(blockInputs.map { Tensor(array: $0) }).map { $0.concrete(for: name) }
            var sums: [ArrayValue] = []
            for (k, r) in results.enumerated() {
                if let whole = joined.value[k] {
                    let bytes = r.count * r.dtype.byteSize
                    (whole.buffer.raw + i * bytes).copyMemory(from: r.buffer.raw, byteCount: bytes)
                } else {
                    sums.append(r)
                }
            }
            return sums
        }
        var next = 0
        return outputs.map { whole in
            if let whole { return whole }
            defer { next += 1 }
            return Self.sum(partialSums.map { $0[next] })
        }
    }

    /// Rows `block · rows ..< (block + 1) · rows` of `x` along its leading axis, copied.
    private static func rows(of x: ArrayValue, block: Int, rows: Int) -> ArrayValue {
        let type = x.type.withLeadingExtent(rows)
        let out = ArrayValue(uninitialized: type.shape, dtype: type.dtype)
        let bytes = out.count * x.dtype.byteSize
        out.buffer.raw.copyMemory(from: x.buffer.raw + block * bytes, byteCount: bytes)
        return out
    }

    /// The blocks' partial results added in order (float64 in one loop; other dtypes by `+`).
    private static func sum(_ parts: [ArrayValue]) -> ArrayValue {
        guard parts[0].dtype == .float64 else {
            return parts.dropFirst().reduce(Tensor(array: parts[0])) { $0 + Tensor(array: $1) }.concrete(for: "map_blocks")
        }
        let out = ArrayValue(uninitialized: parts[0].shape, dtype: .float64)
        let total = out.pointer(as: Double.self), count = out.count
        total.update(from: parts[0].pointer(as: Double.self), count: count)
        for part in parts.dropFirst() {
            let p = part.pointer(as: Double.self)
            for j in 0..<count { total[j] += p[j] }
        }
        return out
    }

    /// The body mapped over the blocks as one batched computation: the function of the whole batch,
    /// staged on first use (for the transforms).
    var whole: ClosedFunction {
        let (body, mapped, blocks, rows, summed) = (self.body, self.mapped, self.blocks, self.rows, self.summed)
        let types = wholeInputTypes
        return body.derived("blocks \(blocks) \(mapped) \(summed)") {
            .stage(types) { args in
                let split = zip(args, mapped).map { x, m in m ? x.reshaped(to: [blocks, rows] + x.shape.dropFirst()) : x }
                let out = batchedCall(split, axes: mapped.map { $0 ? 0 : nil }, outAxis: 0, blocking: false) { body.apply($0) }
                return zip(out, summed).map { y, s in
                    s ? y.sum(alongAxes: [0]) : y.reshaped(to: [y.shape[0] * y.shape[1]] + y.shape.dropFirst(2))
                }
            }
        }
    }

    private var call: Call { Call(function: whole) }

    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        call.jvp(primals, tangents, outputs)
    }

    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        call.vjp(primals, outputs, cotangents)
    }

    func jet(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        call.jet(primals, series, outputs)
    }

    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?]) {
        call.batch(inputs, dims, size: size)
    }
}

extension BlockedMap {
    /// `vmap`'s blocked form, when it applies: the mapped leaves are arguments of the `jit` being
    /// traced (no other transform in between), the mapped axis is long enough to cut, and `f`
    /// captures nothing but that trace's values. Returns the outputs with the batch axis first, or
    /// nil (then `f` has not been called, or its trace is discarded).
    static func stage(_ leaves: [Tensor], axes: [Int?], size: Int, _ f: ([Tensor]) -> [Tensor]) -> [Tensor]? {
        guard let stage = TraceStack.blockedMapStage, let rows = rows(for: size) else { return nil }
        func isStaged(_ x: Tensor) -> Bool {
            if case .traced(let t) = x.storage {
                return ObjectIdentifier(t.interpreter) == stage && t.interpreter.level == TraceStack.depth
            }
            return true
        }
        guard leaves.allSatisfy(isStaged) else { return nil }
        let fronts = zip(leaves, axes).map { x, a in a.map { x.movingAxis($0, to: 0) } ?? x }
        let types = zip(fronts, axes).map { x, a in
            a == nil ? x.type : x.type.withLeadingExtent(rows)
        }
        // The closure is only called while staging, here.
        let converted = withoutActuallyEscaping(f) { f in
            closureConvert({ inner in
                batchedCall(inner, axes: axes.map { $0 == nil ? nil : 0 }, outAxis: 0, blocking: false, f)
            }, types)
        }
        guard converted.captured.allSatisfy(isStaged), !converted.function.outputTypes.isEmpty else { return nil }
        let primitive = BlockedMap(body: converted.function, mapped: axes.map { $0 != nil } + converted.captured.map { _ in false },
                                   blocks: size / rows, rows: rows)
        return bind(primitive, fronts + converted.captured)
    }
}

extension TensorType {
    /// The same type with `extent` elements along the leading axis (a block's rows, or the whole batch).
    func withLeadingExtent(_ extent: Int) -> TensorType {
        TensorType(shape: [extent] + shape.dropFirst(), dtype: dtype)
    }
}
