/// Splitting a program over the rows of its data: a program whose work is row by row over a long
/// leading axis (a loss and its gradient over a batch of 4096 points) runs as a ``BlockedMap`` over
/// blocks of rows, one block per core, instead of splitting every operation over the cores. Each
/// block's arrays then stay in its core's cache, and no operation waits for another thread between
/// steps (W3, an MLP's value and gradient over 4096 points: about 10% faster on 2 cores).
///
/// The pass proves the split exact before making it. Walking the equations in order, each value is
/// *unbatched* (the same for every block), *rows* (axis 0 is the batch axis: row `i` depends only
/// on row `i` of the rows inputs), or a *partial sum* (a sum over the batch axis, which each block
/// computes over its rows and the blocks' results add up to). Elementwise operations, products that
/// keep the batch axis first or contract it away, reductions, reshapes and transposes that keep it
/// first, and broadcasts to it follow these rules; the equations with a rows operand form the
/// blocks' program. What comes after may use partial sums (added over the blocks in order) and
/// unbatched values only; otherwise the program is left whole. Only partial sums change value (by
/// rounding: a sum in another order).
extension Passes {
    /// The row count of a program split: the largest divisor of the batch from 512 up to 1024 rows
    /// and at most half of it. For W3's 4096 rows on 2 cores, 2 blocks of 2048 and 4 of 1024 were
    /// about as fast (8 of 512 the slowest tried, still faster than the whole batch); with 4, a
    /// worker that starts late delays the call by a quarter of it, not a half.
    static func splitRows(_ n: Int) -> Int? {
        guard n >= 2048 else { return nil }
        return stride(from: min(1024, n / 2), through: 512, by: -1).first { n % $0 == 0 }
    }

    static func splitBatch(_ p: Program) -> Program {
        guard let n = batchExtent(p), let rows = splitRows(n) else { return p }
        // A constant that is a tracer of an enclosing transform cannot move into a block's program.
        for e in p.equations {
            for case .constant(let c) in e.inputs { if case .traced = c.storage { return p } }
        }
        var analysis = BatchAnalysis(program: p, n: n)
        guard let split = analysis.run() else { return p }
        return split.build(p, n: n, rows: rows)
    }

    /// The most common leading extent of 2048 or more among the program's inputs and array constants.
    private static func batchExtent(_ p: Program) -> Int? {
        var counts: [Int: Int] = [:]
        for v in p.inputs { if let n = p.types[v].shape.first, n >= 2048 { counts[n, default: 0] += 1 } }
        for e in p.equations {
            for case .constant(let c) in e.inputs { if let n = c.shape.first, n >= 2048 { counts[n, default: 0] += 1 } }
        }
        return counts.max { ($0.value, $0.key) < ($1.value, $1.key) }?.key
    }
}

/// What the split analysis finds for one program.
private struct BatchAnalysis {
    enum Kind { case unbatched, rows, partialSum }

    let program: Program
    let n: Int
    let inputs: Set<Int>
    var kinds: [Int: Kind] = [:]
    /// Equation positions, by phase: before the blocks, the blocks, after.
    var before: [Int] = [], blocked: [Int] = [], after: [Int] = []
    /// Values computed after the blocks (they depend on a partial sum).
    var late: Set<Int> = []

    init(program: Program, n: Int) {
        self.program = program
        self.n = n
        inputs = Set(program.inputs)
    }

    func kind(_ o: Program.Operand) -> Kind {
        switch o {
        case .variable(let v):
            if let k = kinds[v] { return k }
            return inputs.contains(v) && program.types[v].shape.first == n ? .rows : .unbatched
        case .constant(let c):
            return c.shape.first == n ? .rows : .unbatched
        }
    }

    /// Whether an unbatched operand of shape `s` stays off the batch axis of a result of rank `rank`
    /// under NumPy broadcasting.
    func offBatchAxis(_ s: [Int], rank: Int) -> Bool { s.count < rank || s.first == 1 }

    /// The kind of an equation's outputs when it has a rows operand, or nil when it cannot be split.
    func rule(_ e: Program.Equation) -> Kind? {
        let types = e.inputs.map { $0.type(in: program.types) }
        let kinds = e.inputs.map(kind)
        let out = e.outputs.map { program.types[$0] }
        switch e.primitive {
        case is any ElementwiseBatching:
            guard let t = out.first, t.shape.first == n else { return nil }
            for (type, k) in zip(types, kinds) {
                if k == .rows { guard type.rank == t.rank, type.shape[0] == n else { return nil } }
                else if type.count != 1, !offBatchAxis(type.shape, rank: t.rank) { return nil }
            }
            return .rows
        case let d as DotGeneral:
            let (l, r) = (kinds[0], kinds[1])
            if l == .rows && r == .rows {
                // Row by row in a batch dimension, or the batch axis contracted away: a partial sum.
                if d.lhsBatch.first == 0 && d.rhsBatch.first == 0 { return .rows }
                if let i = d.lhsContracting.firstIndex(of: 0), d.rhsContracting[i] == 0 { return .partialSum }
                return nil
            }
            guard d.lhsBatch.isEmpty else { return nil }
            if l == .rows { return d.lhsContracting.contains(0) ? nil : .rows }
            // The unbatched left operand has no free axis, so the right one's axis 0 comes first.
            let lhsFree = types[0].rank - d.lhsContracting.count
            return lhsFree == 0 && !d.rhsContracting.contains(0) ? .rows : nil
        case let r as Reduce:
            if !r.axes.contains(0) { return .rows }
            return r.combine == .sum ? .partialSum : nil
        case let r as Reshape:
            return r.shape.first == n ? .rows : nil
        case let t as Transpose:
            return t.permutation.first == 0 ? .rows : nil
        case let b as BroadcastTo:
            return b.shape.first == n && types[0].shape.first == n && types[0].rank == b.shape.count ? .rows : nil
        default:
            return nil
        }
    }

    /// Assigns every equation a phase; nil when the program cannot be split (or has nothing worth
    /// splitting: fewer than two products over the rows).
    mutating func run() -> SplitPlan? {
        var products = 0
        for (i, e) in program.equations.enumerated() {
            let inputKinds = e.inputs.map(kind)
            if e.inputs.contains(where: { $0.variable.map(late.contains) ?? false }) || inputKinds.contains(.partialSum) {
                // After the blocks: it may not read rows, which exist only block by block.
                guard !inputKinds.contains(.rows) else { return nil }
                after.append(i)
                for v in e.outputs { late.insert(v); kinds[v] = .unbatched }
                continue
            }
            // A broadcast of an unbatched value to the batch axis is made in each block.
            if let b = e.primitive as? BroadcastTo, b.shape.first == n,
               offBatchAxis(e.inputs[0].type(in: program.types).shape, rank: b.shape.count) {
                blocked.append(i)
                for v in e.outputs { kinds[v] = .rows }
                continue
            }
            guard inputKinds.contains(.rows) else {
                before.append(i)
                for v in e.outputs { kinds[v] = .unbatched }
                continue
            }
            guard let k = rule(e) else { return nil }
            if e.primitive is DotGeneral { products += 1 }
            blocked.append(i)
            for v in e.outputs { kinds[v] = k }
        }
        // Worth splitting: a chain of products (a lone product already splits its own work well).
        guard products >= 2 else { return nil }
        return SplitPlan(analysis: self)
    }
}

/// The split program's parts.
private struct SplitPlan {
    let analysis: BatchAnalysis

    /// The program with the blocked equations replaced by one ``BlockedMap``.
    func build(_ p: Program, n: Int, rows: Int) -> Program {
        let a = analysis
        let blockedEquations = a.blocked.map { p.equations[$0] }
        let produced = Set(blockedEquations.flatMap(\.outputs))
        // The map's inputs: operands of the blocked equations made outside them (rows ones cut into
        // blocks, unbatched ones shared), each variable once, and the rows constants.
        var inputs: [Program.Operand] = [], mapped: [Bool] = [], seen: [Int: Int] = [:]
        var constantInput: [[Int: Int]] = []      // per blocked equation: operand position -> input
        for e in blockedEquations {
            var positions: [Int: Int] = [:]
            for (position, o) in e.inputs.enumerated() {
                switch o {
                case .variable(let v) where !produced.contains(v):
                    if seen[v] == nil { seen[v] = inputs.count; inputs.append(o); mapped.append(a.kind(o) == .rows) }
                case .constant where a.kind(o) == .rows:
                    positions[position] = inputs.count
                    inputs.append(o)
                    mapped.append(true)
                default: break
                }
            }
            constantInput.append(positions)
        }
        // The map's outputs: its values used after it or returned.
        let usedLater = Set(a.after.flatMap { p.equations[$0].inputs.compactMap(\.variable) } + p.outputs.compactMap(\.variable))
        let exported = blockedEquations.flatMap(\.outputs).filter { usedLater.contains($0) }
        let summed = exported.map { a.kinds[$0] == .partialSum }

        let blockTypes = zip(inputs, mapped).map { o, m in
            let t = o.type(in: p.types)
            return m ? t.withLeadingExtent(rows) : t
        }
        let staged = StagingInterpreter.stage(blockTypes) { args in
            var env: [Int: Tensor] = [:]
            for (o, x) in zip(inputs, args) { if case .variable(let v) = o { env[v] = x } }
            for (k, e) in blockedEquations.enumerated() {
                let operands = e.inputs.enumerated().map { position, o -> Tensor in
                    if let i = constantInput[k][position] { return args[i] }
                    switch o {
                    case .variable(let v): return env[v]!
                    case .constant(let c): return c
                    }
                }
                let outs = bindExistential(Self.resized(e.primitive, n: n, rows: rows), operands)
                for (v, t) in zip(e.outputs, outs) { env[v] = t }
            }
            return exported.map { env[$0]! }
        }
        let body = ClosedFunction(optimized: Passes.optimize(staged, splitting: false))
        let map = BlockedMap(body: body, mapped: mapped, blocks: n / rows, rows: rows, summed: summed)
        var out = p
        out.equations = a.before.map { p.equations[$0] } + [.init(primitive: map, inputs: inputs, outputs: exported)]
            + a.after.map { p.equations[$0] }
        return out
    }

    /// The primitive for a block: shapes that name the batch extent name the block's instead.
    static func resized(_ primitive: any Primitive, n: Int, rows: Int) -> any Primitive {
        func resize(_ s: [Int]) -> [Int] { s.first == n ? [rows] + s.dropFirst() : s }
        switch primitive {
        case let r as Reshape: return Reshape(shape: resize(r.shape))
        case let b as BroadcastTo: return BroadcastTo(shape: resize(b.shape))
        default: return primitive
        }
    }
}
