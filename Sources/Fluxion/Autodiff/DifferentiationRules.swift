/// The derivative rules of a primitive. ``Primitive`` requires them, so a primitive without rules
/// does not compile; the refinement protocols below supply them for whole families.
///
/// Rules are written with public `Tensor` operations, so they are themselves differentiable: this
/// is what makes derivatives of any order work. A `nil` tangent or cotangent is a symbolic zero:
/// rules skip the work for it.
protocol DifferentiationRules {
    /// Forward mode: the output tangents given the input tangents, at `primals` with `outputs`.
    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?]
    /// Reverse mode: the input cotangents given the output cotangents.
    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?]
}

/// A primitive with no derivative: integer or bool outputs, or piecewise-constant functions.
protocol NonDifferentiable: DifferentiationRules {}

extension NonDifferentiable {
    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        outputs.map { _ in nil }
    }
    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        primals.map { _ in nil }
    }
}

/// A primitive with one output that is linear in the inputs at `linearArguments` (the others, such
/// as indices or a condition, are fixed). Its JVP applies the primitive to the tangents; its VJP is
/// its transpose.
protocol LinearPrimitive: Primitive {
    /// The positions of the inputs the primitive is linear in (all of them by default).
    func linearArguments(count: Int) -> [Int]
    /// The transpose: cotangents of the linear inputs given the output's cotangent.
    func transpose(_ cotangent: Tensor, _ primals: [Tensor]) -> [Tensor?]
}

extension LinearPrimitive {
    func linearArguments(count: Int) -> [Int] { Array(0..<count) }

    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        let linear = linearArguments(count: primals.count)
        guard linear.contains(where: { tangents[$0] != nil }) else { return [nil] }
        var args = primals
        for i in linear { args[i] = tangents[i] ?? Tensor.zeros(like: primals[i]) }
        return bind(self, args)
    }

    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        guard let ct = cotangents[0] else { return primals.map { _ in nil } }
        return transpose(ct, primals)
    }
}

/// A primitive whose reverse rule is the transpose of its forward rule, found by running the forward
/// rule (linear in the tangents) under the reverse-mode tape. Used where a direct reverse rule would
/// only restate the forward one (the matrix factorizations, user-defined `customJVP` functions).
protocol TransposedJVP: DifferentiationRules {}

extension TransposedJVP {
    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        transposeLinearMap(primals: primals, cotangents: cotangents) { tangents in
            jvp(primals, tangents, outputs)
        }
    }
}

/// Sums a cotangent of a broadcast result down to the operand's shape (the transpose of NumPy
/// broadcasting).
func unbroadcast(_ ct: Tensor, to shape: [Int]) -> Tensor {
    if ct.shape == shape { return ct }
    let lead = ct.rank - shape.count
    var axes = Array(0..<lead)
    for (i, d) in shape.enumerated() where d == 1 && ct.shape[lead + i] != 1 { axes.append(lead + i) }
    let summed = axes.isEmpty ? ct : bind1(Reduce(combine: .sum, axes: axes), ct)
    return summed.shape == shape ? summed : summed.reshaped(to: shape)
}

/// Matches a cotangent to a primal's dtype: the real part for a real primal (JAX's convention for
/// real-to-complex conversions), a cast otherwise.
func matchingDType(_ ct: Tensor, _ primal: Tensor) -> Tensor {
    if ct.dtype == primal.dtype { return ct }
    if ct.dtype.isComplex && !primal.dtype.isComplex { return real(ct).cast(to: primal.dtype) }
    return ct.cast(to: primal.dtype)
}
