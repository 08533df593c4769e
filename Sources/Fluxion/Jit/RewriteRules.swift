/// Algebraic simplifications as rewrite rules that each primitive declares (``Primitive/rewriteRules``).
/// A rule looks at one equation and, when its pattern matches, names the operand that can stand for
/// the equation's output. A rule only fires when the replacement has exactly the output's type, so
/// broadcasting and promotion never change under a rewrite.
enum RewriteRule: Sendable {
    /// The output equals operand `keep` (unconditionally: a reshape or broadcast to the same
    /// shape, a conversion to the same dtype, an identity transpose).
    case identity(keep: Int)
    /// The output equals operand `keep` when operand `whenConstant` is a constant whose elements
    /// all equal `equals` (`x + 0`, `1 * x`).
    case identityWhen(keep: Int, whenConstant: Int, equals: Double)
    /// A product with an identity matrix: the output equals operand `keep` when operand `identity` is
    /// a constant identity matrix and the product contracts `keep`'s axis `keepAxis` (counted from the
    /// end when negative) — the one placement where the result is `keep` itself, not a transpose of it.
    /// (`jacfwd` pushes an identity basis through the first product of the function.)
    case productWithIdentity(keep: Int, identity: Int, keepAxis: Int)

    static func identity(keep: Int, whenConstant: Int, equals: Double) -> RewriteRule {
        .identityWhen(keep: keep, whenConstant: whenConstant, equals: equals)
    }

    /// The operand that replaces the equation's output, when the rule matches.
    func apply(_ e: Program.Equation, types: [TensorType]) -> Program.Operand? {
        switch self {
        case .identity(let keep): return e.inputs[keep]
        case .identityWhen(let keep, let c, let value): return RewriteRules.isConstant(e.inputs[c], value) ? e.inputs[keep] : nil
        case .productWithIdentity(let keep, let identity, let keepAxis):
            guard RewriteRules.isIdentityMatrix(e.inputs[identity]) else { return nil }
            let rank: Int
            switch e.inputs[keep] {
            case .variable(let v): rank = types[v].rank
            case .constant(let t): rank = t.rank
            }
            return (keepAxis < 0 ? rank + keepAxis : keepAxis) == contractedAxis(of: e, keep) ? e.inputs[keep] : nil
        }
    }

    /// The single axis of operand `keep` that a `dot_general` contracts, if it is one.
    private func contractedAxis(of e: Program.Equation, _ keep: Int) -> Int? {
        guard let dot = e.primitive as? DotGeneral, dot.lhsBatch.isEmpty else { return nil }
        let axes = keep == 0 ? dot.lhsContracting : dot.rhsContracting
        return axes.count == 1 ? axes[0] : nil
    }
}

enum RewriteRules {
    /// Whether an operand is a constant whose elements all equal `value`.
    static func isConstant(_ o: Program.Operand, _ value: Double) -> Bool {
        guard case .constant(let t) = o, t.isConcrete, t.dtype != .bool, t.count <= 64 else { return false }
        return t.cast(to: t.dtype.isComplex ? .complex128 : .float64).scalars(as: Double.self).allSatisfy { $0 == value }
            && imag(t).doubles.allSatisfy { $0 == 0 }
    }

    /// Whether an operand is a constant square identity matrix (checked element by element, for
    /// matrices of up to 4096 rows).
    static func isIdentityMatrix(_ o: Program.Operand) -> Bool {
        guard case .constant(let t) = o, t.isConcrete, t.rank == 2, t.shape[0] == t.shape[1], t.shape[0] <= 4096,
              t.dtype == .float64 || t.dtype == .float32 else { return false }
        let n = t.shape[0], values = t.cast(to: .float64).scalars(as: Double.self)
        for i in 0..<n { for j in 0..<n where values[i * n + j] != (i == j ? 1 : 0) { return false } }
        return true
    }

    /// The replacement of the primitive's first rule that matches with a type-preserving operand.
    static func apply(_ e: Program.Equation, types: [TensorType]) -> Program.Operand? {
        let outType = types[e.outputs[0]]
        for rule in e.primitive.rewriteRules {
            guard let r = rule.apply(e, types: types) else { continue }
            let type: TensorType
            switch r {
            case .variable(let v): type = types[v]
            case .constant(let t): type = t.type
            }
            if type == outType { return r }
        }
        return nil
    }
}
