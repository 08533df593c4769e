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

    static func identity(keep: Int, whenConstant: Int, equals: Double) -> RewriteRule {
        .identityWhen(keep: keep, whenConstant: whenConstant, equals: equals)
    }

    /// The operand that replaces the equation's output, when the rule matches.
    func apply(_ e: Program.Equation) -> Program.Operand? {
        switch self {
        case .identity(let keep): return e.inputs[keep]
        case .identityWhen(let keep, let c, let value): return RewriteRules.isConstant(e.inputs[c], value) ? e.inputs[keep] : nil
        }
    }
}

enum RewriteRules {
    /// Whether an operand is a constant whose elements all equal `value`.
    static func isConstant(_ o: Program.Operand, _ value: Double) -> Bool {
        guard case .constant(let t) = o, t.isConcrete, t.dtype != .bool, t.count <= 64 else { return false }
        return t.cast(to: t.dtype.isComplex ? .complex128 : .float64).scalars(as: Double.self).allSatisfy { $0 == value }
            && imag(t).doubles.allSatisfy { $0 == 0 }
    }

    /// The replacement of the primitive's first rule that matches with a type-preserving operand.
    static func apply(_ e: Program.Equation, types: [TensorType]) -> Program.Operand? {
        let outType = types[e.outputs[0]]
        for rule in e.primitive.rewriteRules {
            guard let r = rule.apply(e) else { continue }
            if r.type(in: types) == outType { return r }
        }
        return nil
    }
}
