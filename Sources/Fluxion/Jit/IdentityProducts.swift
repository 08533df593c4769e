/// Products with an identity rewritten away. `jacfwd` (and so `hessian`) pushes the standard basis
/// through a function as a batch of tangents; the first product it meets multiplies by that basis,
/// a constant identity matrix (with unit axes from reshapes): `dot_general(W, I)` costs a full
/// `n³` product and yields `W` with its axes rearranged. Here it becomes that rearrangement: a
/// transpose (often the identity permutation, then removed) and a reshape.
extension Passes {
    /// The largest constant that is examined for being an identity matrix.
    static let largestIdentityChecked = 1 << 22

    static func eliminateIdentityProducts(_ p: Program) -> Program {
        var out = p
        out.equations = []
        for e in p.equations {
            guard let product = e.primitive as? DotGeneral, let rewritten = product.identityRewrite(e, types: p.types) else {
                out.equations.append(e)
                continue
            }
            // operand → transpose (a new variable) → reshape into the product's output variable.
            let (operand, permutation) = rewritten
            let outputType = p.types[e.outputs[0]]
            let operandShape = operand.type(in: p.types).shape
            out.types.append(TensorType(shape: permutation.map { operandShape[$0] }, dtype: outputType.dtype))
            let moved = out.types.count - 1
            out.equations.append(.init(primitive: Transpose(permutation: permutation), inputs: [operand], outputs: [moved]))
            out.equations.append(.init(primitive: Reshape(shape: outputType.shape), inputs: [.variable(moved)], outputs: e.outputs))
        }
        return out
    }
}

extension DotGeneral {
    /// When one operand of `e` is a constant identity matrix (its two axes of extent > 1 hold the
    /// identity, the others have extent 1) contracted over one of those axes, and there are no batch
    /// axes: the other operand and the permutation that, followed by a reshape to the output's shape,
    /// gives the product.
    func identityRewrite(_ e: Program.Equation, types: [TensorType]) -> (Program.Operand, [Int])? {
        guard lhsBatch.isEmpty, lhsContracting.count == 1 else { return nil }
        for side in 0..<2 {
            guard case .constant(let basis) = e.inputs[side], basis.isConcrete, basis.dtype.isFloatingPoint,
                  !basis.dtype.isComplex, basis.count <= Passes.largestIdentityChecked else { continue }
            let extents = basis.shape.enumerated().filter { $0.element > 1 }
            let contracted = side == 0 ? lhsContracting[0] : rhsContracting[0]
            guard extents.count == 2, extents[0].element == extents[1].element,
                  extents.contains(where: { $0.offset == contracted }) else { continue }
            let n = extents[0].element
            let values = basis.cast(to: .float64).doubles
            guard values.indices.allSatisfy({ values[$0] == ($0 / n == $0 % n ? 1 : 0) }) else { continue }
            // The other operand: its contracted axis takes the place of the basis's free axis.
            let other = e.inputs[1 - side]
            let otherRank = other.type(in: types).rank
            let otherContracted = side == 0 ? rhsContracting[0] : lhsContracting[0]
            let otherFree = (0..<otherRank).filter { $0 != otherContracted }
            // Output axes: lhs free then rhs free. The basis's free axes are its non-contracted
            // identity axis and unit axes, so the output is the other operand's free axes with the
            // contracted one placed before them (basis first) or after them (basis second).
            return (other, side == 0 ? [otherContracted] + otherFree : otherFree + [otherContracted])
        }
        return nil
    }
}
