import FluxionTestSupport
import Testing
@testable import Fluxion

@Suite("Derivatives of every operation against finite differences")
struct GradientTableTests {
    @Test(arguments: GradientTable.all)
    func checkAgainstFiniteDifferences(_ row: GradientCase) throws {
        try checkGrads(row.f, at: row.inputs, order: row.order, modes: row.modes, epsilon: row.epsilon, tolerance: row.tolerance)
    }
}
