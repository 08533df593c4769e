/// Transposes sunk into products: gemm reads either operand transposed for free (its transpose
/// flag), and writes `(A·B)ᵀ` as `Bᵀ·Aᵀ` for free, so a `transpose` next to a `dot_general` is a
/// copy that can go.
///
/// - A product reading a transposed operand reads the operand itself, with its axis numbers mapped
///   through the permutation (`matmul(x, y.mT)`: no `[n, k]` copy of `y`), when that keeps the
///   output's axis order and gemm still reads the operand without a copy.
/// - A transpose of a product's output that only swaps the two operands' free axes is the product
///   with its operands swapped (the weight gradient `transpose(dot_general g h)` of a dense layer
///   comes out as `dot_general h g`), when the transpose is the product's only user.
///
/// - A transpose that only moves axes of extent 1 is a reshape (no copy).
///
/// The transposes and products left unused are removed by dead-code elimination, which runs next.
extension Passes {
    static func sinkTransposes(_ p: Program) -> Program {
        guard p.equations.contains(where: { $0.primitive is Transpose }) else { return p }
        var uses: [Int: Int] = [:]
        for e in p.equations { for v in e.inputs.compactMap(\.variable) { uses[v, default: 0] += 1 } }
        for v in p.outputs.compactMap(\.variable) { uses[v, default: 0] += 1 }
        var producer: [Int: Program.Equation] = [:]
        var out = p
        out.equations = []
        for var e in p.equations {
            // A transpose that only moves axes of extent 1 moves no data: it is a reshape.
            if let transpose = e.primitive as? Transpose, case .variable(let v) = e.inputs[0] {
                let shape = p.types[v].shape
                let moved = transpose.permutation.filter { shape[$0] > 1 }
                if moved == moved.sorted() {
                    e = Program.Equation(primitive: Reshape(shape: p.types[e.outputs[0]].shape), inputs: e.inputs, outputs: e.outputs)
                }
            }
            if var product = e.primitive as? DotGeneral {
                for side in 0..<2 {
                    guard case .variable(let v) = e.inputs[side], let t = producer[v],
                          let transpose = t.primitive as? Transpose,
                          let reading = product.readingThrough(transpose.permutation, operand: side,
                                                               rank: transpose.permutation.count) else { continue }
                    product = reading
                    e.inputs[side] = t.inputs[0]
                }
                e = Program.Equation(primitive: product, inputs: e.inputs, outputs: e.outputs)
            } else if let transpose = e.primitive as? Transpose, case .variable(let v) = e.inputs[0], uses[v] == 1,
                      let made = producer[v], let product = made.primitive as? DotGeneral,
                      let swapped = product.swapped(toProduce: transpose.permutation, lhsRank: made.inputs[0].type(in: p.types).rank,
                                                    rhsRank: made.inputs[1].type(in: p.types).rank) {
                e = Program.Equation(primitive: swapped, inputs: [made.inputs[1], made.inputs[0]], outputs: e.outputs)
            }
            if e.outputs.count == 1 { producer[e.outputs[0]] = e }
            out.equations.append(e)
        }
        return out
    }
}

extension DotGeneral {
    /// The same contraction reading `x` where this one reads `transpose(x, permutation)` as operand
    /// `side` (0 or 1), or nil when the output's axes would come out in another order or gemm would
    /// need a copy of `x`.
    func readingThrough(_ permutation: [Int], operand side: Int, rank: Int) -> DotGeneral? {
        let (contracting, batch) = side == 0 ? (lhsContracting, lhsBatch) : (rhsContracting, rhsBatch)
        // Axis i of the transposed tensor is axis permutation[i] of x.
        let free = (0..<rank).filter { !contracting.contains($0) && !batch.contains($0) }
        let (newContracting, newBatch, newFree) = (contracting.map { permutation[$0] }, batch.map { permutation[$0] },
                                                   free.map { permutation[$0] })
        guard newFree == newFree.sorted() else { return nil }
        let identity = Array(0..<rank)
        guard newBatch + newFree + newContracting == identity || newBatch + newContracting + newFree == identity else { return nil }
        return side == 0
            ? DotGeneral(lhsContracting: newContracting, rhsContracting: rhsContracting, lhsBatch: newBatch, rhsBatch: rhsBatch)
            : DotGeneral(lhsContracting: lhsContracting, rhsContracting: newContracting, lhsBatch: lhsBatch, rhsBatch: newBatch)
    }

    /// The contraction of the swapped operands `(rhs, lhs)` whose output is this one's output
    /// transposed by `permutation`, or nil when the permutation is not the swap of the two free parts.
    func swapped(toProduce permutation: [Int], lhsRank: Int, rhsRank: Int) -> DotGeneral? {
        let nb = lhsBatch.count
        let fa = lhsRank - nb - lhsContracting.count, fb = rhsRank - nb - rhsContracting.count
        guard fa > 0, fb > 0,
              permutation == Array(0..<nb) + Array((nb + fa)..<(nb + fa + fb)) + Array(nb..<(nb + fa)) else { return nil }
        return DotGeneral(lhsContracting: rhsContracting, rhsContracting: lhsContracting, lhsBatch: rhsBatch, rhsBatch: lhsBatch)
    }
}
