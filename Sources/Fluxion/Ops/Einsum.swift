import Foundation

/// Einstein summation over one or two operands, for subscripts without repeated letters inside one
/// operand (no diagonals): `"ij,jk->ik"`, `"bij,bjk->bik"`, `"i,i->"`, `"ij->ji"`, `"ij->j"`.
/// Without `->`, the output has the letters that appear once, in alphabetical order (NumPy's rule).
public func einsum(_ subscripts: String, _ operands: Tensor...) -> Tensor {
    let spec = subscripts.replacingOccurrences(of: " ", with: "")
    let parts = spec.components(separatedBy: "->")
    let inputs = parts[0].components(separatedBy: ",").map(Array.init)
    guard inputs.count == operands.count, (1...2).contains(operands.count) else {
        shapeFailure("einsum", "\"\(subscripts)\" names \(inputs.count) operands; got \(operands.count) (one or two are supported)")
    }
    for (letters, x) in zip(inputs, operands) where letters.count != x.rank || Set(letters).count != letters.count {
        shapeFailure("einsum", "subscript \"\(String(letters))\" does not fit shape \(x.shape) (repeated letters are not supported)")
    }
    let all = inputs.flatMap { $0 }
    let output: [Character] = parts.count > 1 ? Array(parts[1])
        : Set(all).filter { c in all.filter { $0 == c }.count == 1 }.sorted()
    guard parts.count <= 2, Set(output).count == output.count, output.allSatisfy(all.contains) else {
        shapeFailure("einsum", "the output subscript in \"\(subscripts)\" must name distinct letters of the operands")
    }
    if operands.count == 1 {
        let letters = inputs[0], x = operands[0]
        let summed = letters.indices.filter { !output.contains(letters[$0]) }
        let reduced = summed.isEmpty ? x : x.sum(alongAxes: summed)
        let remaining = letters.filter { output.contains($0) }
        return reduced.transposed(permutation: output.map { remaining.firstIndex(of: $0)! })
    }
    let (a, b) = (inputs[0], inputs[1])
    // Letters in both operands and in the output are batch axes; in both but not the output, contracted.
    // A letter only in one operand and not in the output is summed out first.
    var x = operands[0], y = operands[1], la = a, lb = b
    let aOnly = la.indices.filter { !lb.contains(la[$0]) && !output.contains(la[$0]) }
    if !aOnly.isEmpty { x = x.sum(alongAxes: aOnly); la = la.enumerated().filter { !aOnly.contains($0.offset) }.map(\.element) }
    let bOnly = lb.indices.filter { !la.contains(lb[$0]) && !output.contains(lb[$0]) }
    if !bOnly.isEmpty { y = y.sum(alongAxes: bOnly); lb = lb.enumerated().filter { !bOnly.contains($0.offset) }.map(\.element) }
    let shared = la.filter { lb.contains($0) }
    let batch = shared.filter { output.contains($0) }
    let contract = shared.filter { !output.contains($0) }
    let r = dotGeneral(x, y, contracting: (contract.map { la.firstIndex(of: $0)! }, contract.map { lb.firstIndex(of: $0)! }),
                       batch: (batch.map { la.firstIndex(of: $0)! }, batch.map { lb.firstIndex(of: $0)! }))
    let produced = batch + la.filter { !shared.contains($0) } + lb.filter { !shared.contains($0) }
    guard Set(produced) == Set(output) else {
        shapeFailure("einsum", "output \"\(String(output))\" does not match the operands' letters in \"\(subscripts)\"")
    }
    return r.transposed(permutation: output.map { produced.firstIndex(of: $0)! })
}
