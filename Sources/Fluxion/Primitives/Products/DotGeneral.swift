/// A general tensor contraction (XLA's `dot_general`): sums the products of `lhs` and `rhs` over
/// paired contracting axes, batched over paired batch axes. The output axes are the batch axes,
/// then the free axes of `lhs`, then the free axes of `rhs`, each in their original order.
///
/// The kernel arranges each operand as `[batch, free, contract]` or `[batch, contract, free]`,
/// whichever needs no copy, and calls gemm with the matching transpose flag.
struct DotGeneral: Primitive {
    let lhsContracting: [Int]
    let rhsContracting: [Int]
    let lhsBatch: [Int]
    let rhsBatch: [Int]
    var name: String { "dot_general" }

    private func freeAxes(rank: Int, contracting: [Int], batch: [Int]) -> [Int] {
        (0..<rank).filter { !contracting.contains($0) && !batch.contains($0) }
    }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let (a, b) = (inputs[0], inputs[1])
        let valid = lhsContracting.count == rhsContracting.count && lhsBatch.count == rhsBatch.count
            && (lhsContracting + lhsBatch).allSatisfy { 0 <= $0 && $0 < a.rank }
            && (rhsContracting + rhsBatch).allSatisfy { 0 <= $0 && $0 < b.rank }
            && Set(lhsContracting + lhsBatch).count == lhsContracting.count + lhsBatch.count
            && Set(rhsContracting + rhsBatch).count == rhsContracting.count + rhsBatch.count
        guard valid,
              lhsContracting.map({ a.shape[$0] }) == rhsContracting.map({ b.shape[$0] }),
              lhsBatch.map({ a.shape[$0] }) == rhsBatch.map({ b.shape[$0] })
        else {
            shapeFailure(name, "shapes \(a.shape) and \(b.shape) cannot be contracted over axes "
                + "\(lhsContracting) and \(rhsContracting) (batch axes \(lhsBatch) and \(rhsBatch))")
        }
        guard a.dtype == b.dtype else { shapeFailure(name, "operand dtypes \(a.dtype) and \(b.dtype) differ") }
        let shape = lhsBatch.map { a.shape[$0] }
            + freeAxes(rank: a.rank, contracting: lhsContracting, batch: lhsBatch).map { a.shape[$0] }
            + freeAxes(rank: b.rank, contracting: rhsContracting, batch: rhsBatch).map { b.shape[$0] }
        return [TensorType(shape: shape, dtype: a.dtype)]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] { [evaluate(inputs, into: nil, epilogue: nil)] }

    /// The product, into `output` when given (of the result's element count), passing ranges of its
    /// elements to `epilogue` as they are finished (see ``BLASKernels/batchedMatmul(_:_:into:epilogue:)``):
    /// the result's elements in row-major order are those of `[batch, m, n]`, batch axes first,
    /// then `a`'s free axes, then `b`'s.
    func evaluate(_ inputs: [ArrayValue], into output: ArrayValue?, epilogue: BLASKernels.Epilogue?) -> ArrayValue {
        let (a, b) = (inputs[0], inputs[1])
        let aFree = freeAxes(rank: a.shape.count, contracting: lhsContracting, batch: lhsBatch)
        let bFree = freeAxes(rank: b.shape.count, contracting: rhsContracting, batch: rhsBatch)
        let lhs = arrange(a, batch: lhsBatch, first: aFree, second: lhsContracting)
        let rhs = arrange(b, batch: rhsBatch, first: rhsContracting, second: bFree)
        let out = BLASKernels.batchedMatmul(lhs, rhs, into: output, epilogue: epilogue)
        let shape = lhsBatch.map { a.shape[$0] } + aFree.map { a.shape[$0] } + bFree.map { b.shape[$0] }
        return out.reshaped(shape)
    }

    /// Views `x` as `[batch, rows, cols]` with rows from axes `first` and columns from `second`,
    /// transposed in place when memory holds `[batch, second, first]`, copied only otherwise.
    private func arrange(_ x: ArrayValue, batch: [Int], first: [Int], second: [Int]) -> BLASKernels.Operand {
        let nb = batch.map { x.shape[$0] }.reduce(1, *)
        let rows = first.map { x.shape[$0] }.reduce(1, *)
        let cols = second.map { x.shape[$0] }.reduce(1, *)
        if batch + first + second == Array(0..<x.shape.count) {
            return .init(array: x, batch: nb, rows: rows, cols: cols, transposed: false)
        }
        if batch + second + first == Array(0..<x.shape.count) {
            return .init(array: x, batch: nb, rows: rows, cols: cols, transposed: true)
        }
        let permuted = Transpose(permutation: batch + first + second).evaluate([x])[0]
        return .init(array: permuted, batch: nb, rows: rows, cols: cols, transposed: false)
    }

    // MARK: derivatives (bilinear)

    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        let terms = [tangents[0].map { bind1(self, $0, primals[1]) }, tangents[1].map { bind1(self, primals[0], $0) }]
        let present = terms.compactMap { $0 }
        return [present.dropFirst().reduce(present[0], +)]
    }


    /// Taylor mode, bilinear: `y_k = Σ_{i+j=k} a_i · b_j`. The terms with a value on one side are one
    /// product over all coefficients (stacked); the mixed terms are products of coefficient pairs,
    /// direction by direction.
    func jet(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        let (a, b) = (primals[0], primals[1]), order = Taylor.order(series)
        let left = series[0] == nil ? nil
            : Taylor.perCoefficient([series[0], nil], primals: primals, outputs: outputs) { [$0[0].map { bind1(self, $0, b) }] }[0]
        let right = series[1] == nil ? nil
            : Taylor.perCoefficient([nil, series[1]], primals: primals, outputs: outputs) { [$0[1].map { bind1(self, a, $0) }] }[0]
        // One side constant: its product over the stacked coefficients is the whole series.
        if series[1] == nil { return [left] }
        if series[0] == nil { return [right] }
        let coefficients = (1...order).map { k -> Tensor? in
            var terms = [left?[k], right?[k]]
            if let sa = series[0], let sb = series[1], k > 1 {
                for i in 1..<k { if let ai = sa[i], let bj = sb[k - i] { terms.append(mixed(ai, bj)) } }
            }
            return Taylor.sum(terms)
        }
        return [TaylorSeries(coefficients: coefficients)]
    }

    /// The product of two coefficients `[R] + shape`, direction by direction.
    private func mixed(_ a: Tensor, _ b: Tensor) -> Tensor {
        let lead = Swift.max(a.shape[0], b.shape[0])
        if lead == 1 { return bind1(self, a.squeezed(axes: [0]), b.squeezed(axes: [0])).expandingShape(at: 0) }
        let fit = { (x: Tensor) in x.shape[0] == lead ? x : x.broadcast(to: [lead] + Array(x.shape.dropFirst())) }
        return vmap({ (x: Tensor, y: Tensor) in bind1(self, x, y) })(fit(a), fit(b))
    }

    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        guard let ct = cotangents[0] else { return [nil, nil] }
        let (a, b) = (primals[0], primals[1])
        return [transposeOperand(ct, other: b, rank: a.rank, mine: (lhsContracting, lhsBatch),
                                 theirs: (rhsContracting, rhsBatch), otherFirst: false),
                transposeOperand(ct, other: a, rank: b.rank, mine: (rhsContracting, rhsBatch),
                                 theirs: (lhsContracting, lhsBatch), otherFirst: true)]
    }

    /// The cotangent of one operand: contract the output cotangent with the other operand over the
    /// other operand's free axes (and batch), then permute into this operand's axis order.
    private func transposeOperand(_ ct: Tensor, other: Tensor, rank: Int, mine: ([Int], [Int]),
                                  theirs: ([Int], [Int]), otherFirst: Bool) -> Tensor {
        let (myContracting, myBatch) = mine
        let (theirContracting, theirBatch) = theirs
        let myFree = freeAxes(rank: rank, contracting: myContracting, batch: myBatch)
        let theirFree = freeAxes(rank: other.rank, contracting: theirContracting, batch: theirBatch)
        let nb = myBatch.count
        // Output axes of the forward product: batch, lhs free, rhs free.
        let theirFreeInCT = otherFirst ? Array(nb..<(nb + theirFree.count))
                                       : Array((nb + myFree.count)..<(nb + myFree.count + theirFree.count))
        let product = bind1(DotGeneral(lhsContracting: theirFreeInCT, rhsContracting: theirFree,
                                       lhsBatch: Array(0..<nb), rhsBatch: theirBatch), ct, other)
        // `product` axes: batch, my free axes (as in ct), then the other's remaining (contracting) axes
        // in increasing order, each paired with one of my contracting axes.
        let remaining = (0..<other.rank).filter { !theirFree.contains($0) && !theirBatch.contains($0) }
        let myAxesInProduct = myBatch + myFree + remaining.map { myContracting[theirContracting.firstIndex(of: $0)!] }
        let permutation = (0..<rank).map { myAxesInProduct.firstIndex(of: $0)! }
        return product.transposed(permutation: permutation)
    }

    /// Both operands batched: the batch axis becomes a new leading batch axis of the contraction.
    /// One batched: it is one more free axis of that operand, and lands where its free axes go.
    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?]) {
        let a = Batching.frontIfBatched(inputs[0], dims[0]), b = Batching.frontIfBatched(inputs[1], dims[1])
        let shiftA: (Int) -> Int = dims[0] == nil ? { $0 } : { $0 + 1 }
        let shiftB: (Int) -> Int = dims[1] == nil ? { $0 } : { $0 + 1 }
        switch (dims[0], dims[1]) {
        case (_?, _?):
            let p = DotGeneral(lhsContracting: lhsContracting.map(shiftA), rhsContracting: rhsContracting.map(shiftB),
                               lhsBatch: [0] + lhsBatch.map(shiftA), rhsBatch: [0] + rhsBatch.map(shiftB))
            return ([bind1(p, a, b)], [0])
        case (_?, nil):
            let p = DotGeneral(lhsContracting: lhsContracting.map(shiftA), rhsContracting: rhsContracting,
                               lhsBatch: lhsBatch.map(shiftA), rhsBatch: rhsBatch)
            // Axis 0 of `a` is its first free axis: it follows the batch axes in the output.
            return ([bind1(p, a, b)], [lhsBatch.count])
        default:
            let p = DotGeneral(lhsContracting: lhsContracting, rhsContracting: rhsContracting.map(shiftB),
                               lhsBatch: lhsBatch, rhsBatch: rhsBatch.map(shiftB))
            let lhsFree = a.rank - lhsContracting.count - lhsBatch.count
            return ([bind1(p, a, b)], [lhsBatch.count + lhsFree])
        }
    }
}
