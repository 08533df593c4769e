import Foundation
import Testing
import Fluxion
import FluxionTestSupport

/// Trees: canonical leaf order, structures, maps, ravel.
@Suite("Trees")
struct TreeTests {
    struct Layer: TensorTree { var w: Tensor; var b: Tensor }
    struct Model: TensorTree {
        var layers: [String: Tensor]
        var nested: [String: [String: Layer]]
        var scale: Tensor
        var name: String
    }

    static func model(order: [Int], offset: Double) -> Model {
        var layers: [String: Tensor] = [:]
        var nested: [String: [String: Layer]] = [:]
        for i in order {
            layers["layer\(i)"] = Tensor([Double(i) + offset])
            nested["block\(i % 3)", default: [:]]["l\(i)"] = Layer(w: Tensor([Double(i) * 10 + offset]), b: Tensor([-Double(i)]))
        }
        return Model(layers: layers, nested: nested, scale: Tensor(2.0 + offset), name: "m")
    }

    @Test func dictionariesBuiltSeparatelyPairTheirLeavesByKey() {
        // Same keys inserted in different orders: dictionaries whose iteration orders differ.
        let a = Self.model(order: Array(0..<12), offset: 0)
        let b = Self.model(order: Array((0..<12).reversed()), offset: 0.5)
        #expect(a.treeStructure == b.treeStructure)
        let d = a.zipLeaves(b) { x, y in y - x }
        for (key, value) in d.layers { #expect(value.doubles == [0.5], "\(key)") }
        for block in d.nested.values { for layer in block.values { #expect(layer.w.doubles == [0.5] && layer.b.doubles == [0]) } }
        #expect(d.scale.item == 0.5 && d.name == "m")
        // Gradients pair with parameters by key, and an update built on zipLeaves is right.
        let g = grad { (m: Model) in m.layers.values.reduce(Tensor(0.0)) { $0 + ($1 * $1).sum() } * m.scale }(b)
        let updated = b.zipLeaves(g) { p, g in p - g }
        for (key, p) in b.layers {
            let expected = p.item - 2 * p.item * b.scale.item
            #expect(Swift.abs(updated.layers[key]!.item - expected) < 1e-12, "\(key)")
        }
        // N-ary map over three trees.
        let sum = Model.mapLeaves([a, b, d]) { $0[0] + $0[1] + $0[2] }
        #expect(sum.layers["layer7"]!.item == 7 + 7.5 + 0.5)
    }

    @Test func flattenUnflattenAndStructures() {
        let m = Self.model(order: [3, 1, 2], offset: 0)
        let (leaves, structure) = m.flattened()
        #expect(structure.leafCount == leaves.count && leaves.count == 3 + 6 + 1)
        let back = Model.unflatten(structure, leaves: leaves.map { $0 * 3 })
        #expect(back.layers["layer2"]!.item == 6 && back.nested["block1"]!["l1"]!.w.item == 30 && back.name == "m")
        var renamed = m
        renamed.name = "other"
        #expect(renamed.treeStructure.difference(from: m.treeStructure) == ".name: the static value other here, m there")
        var fewer = m
        fewer.layers["layer3"] = nil
        #expect(fewer.treeStructure.difference(from: m.treeStructure) == ".layers: keys [\"layer3\"] only there")
        let zeros = Model.zeros(like: m)
        #expect(zeros.leaves.allSatisfy { $0.doubles.allSatisfy { $0 == 0 } } && zeros.treeStructure == m.treeStructure)
    }

    /// Lists of tensors are taken whole when flattening and rebuilding (no element-by-element
    /// coding): the leaves, their order and paths, and the round trip are those of any other tree.
    @Test func listsOfTensorsInsideTrees() {
        struct Net: TensorTree {
            var weights: [Tensor]
            var blocks: [[Tensor]]
            var empty: [Tensor]
            var slots: [String: [Tensor]]
        }
        let t = (0..<8).map { Tensor([Double($0), -Double($0)]) }
        let net = Net(weights: [t[0], t[1]], blocks: [[t[2]], [t[3], t[4]]], empty: [], slots: ["nu": [t[6], t[7]], "mu": [t[5]]])
        let (leaves, structure) = net.flattened()
        #expect(leaves.map { $0.doubles[0] } == [2, 3, 4, 5, 6, 7, 0, 1])      // keys sorted: blocks, empty, slots, weights
        #expect(structure.leafPaths == ["blocks/0/0", "blocks/1/0", "blocks/1/1", "slots/mu/0", "slots/nu/0", "slots/nu/1",
                                        "weights/0", "weights/1"])
        let back = Net.unflatten(structure, leaves: leaves.map { $0 * 2 })
        #expect(back.weights.map { $0.doubles } == [[0, 0], [2, -2]] && back.empty.isEmpty)
        #expect(back.blocks[1][1].doubles == [8, -8] && back.slots["nu"]![1].doubles == [14, -14] && back.slots["mu"]![0].doubles == [10, -10])
        // A list of tensors as a whole argument and result of jit, against eager.
        let f = jit { (n: Net, extra: [Tensor]) in (n.mapLeaves { $0 * 3 + 1 }, extra.map { $0 - 1 }) }
        let (jitted, list) = f(net, [t[1], t[2]])
        #expect(jitted.leaves.map(\.doubles) == net.mapLeaves { $0 * 3 + 1 }.leaves.map(\.doubles))
        #expect(list.map(\.doubles) == [[0, -2], [1, -3]])
    }

    @Test func raveledRoundTripsAndDifferentiates() {
        struct Mixed: TensorTree { var a: Tensor; var b: [Tensor] }
        let m = Mixed(a: Tensor([[1.0, 2.0], [3.0, 4.0]]), b: [Tensor([Float(5), 6]), Tensor(7.0)])
        let (v, unravel) = m.raveled()
        #expect(v.shape == [7] && v.dtype == .float64 && v.doubles == [1, 2, 3, 4, 5, 6, 7])
        let back = unravel(v * 2)
        #expect(back.a.doubles == [2, 4, 6, 8] && back.b[0].dtype == .float32 && back.b[0].doubles == [10, 12])
        // The gradient of a function of the tree, through the flat vector.
        let g = grad { (flat: Tensor) in let t = unravel(flat); return (t.a * t.a).sum() + t.b[1] * 3 }(v)
        #expect(g.doubles == [2, 4, 6, 8, 0, 0, 3])
    }

    @Test func staticFieldsAndTensorCountersUnderJit() {
        struct State: TensorTree { var x: Tensor; var step: Tensor; var label: String }
        let advance = jit { (s: State) in State(x: s.x * 2, step: s.step + 1, label: s.label) }
        var s = State(x: Tensor(1.0), step: Tensor(Int64(0)), label: "run")
        for _ in 0..<10 { s = advance(s) }
        #expect(s.x.item == 1024 && s.step.scalars(as: Int64.self) == [10] && s.label == "run")
        #expect(advance.traceCount == 1)
        s.label = "other"
        _ = advance(s)
        #expect(advance.traceCount == 2)
        #expect(advance.lastMissExplanation?.hasPrefix("the tree structure of argument 0 changed: .label: the static value other now, run before") == true)
    }

    @Test func keysAreTreesAndFoldInTracedValues() {
        let key = PRNGKey(seed: 3)
        let draw = jit { (k: PRNGKey, step: Tensor) in Random.normal(k.foldIn(step), shape: [2]) }
        for i in 0..<3 {
            let eager = Random.normal(key.foldIn(i), shape: [2])
            expectClose(draw(key, Tensor(Int64(i))), eager, rtol: 0, atol: 0)
        }
        #expect(draw.traceCount == 1)
        let perIndex = vmap({ (i: Tensor) in key.foldIn(i).data })(Tensor([Int64(0), 1, 2]))
        for i in 0..<3 { #expect(perIndex[i].scalars(as: Int64.self) == key.foldIn(i).data.scalars(as: Int64.self)) }
        let split = jit { (k: PRNGKey) in k.split() }
        let (a, b) = split(key)
        #expect(a.data.scalars(as: Int64.self) == key.split().0.data.scalars(as: Int64.self) && b.data.shape == [2])
    }
}
