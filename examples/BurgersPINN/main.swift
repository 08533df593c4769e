// Burgers' equation by a physics-informed network, in a few lines, and its error against the exact
// (Cole–Hopf) solution. Usage: burgers-pinn [adam steps] [lbfgs iterations]
import Fluxion
import FluxionNN
import FluxionPINN
import Foundation

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
var options = PINNOptions()
options.adamSteps = arguments.first ?? 2000
options.lbfgsIterations = arguments.dropFirst().first ?? 1000
options.collocation = 2000
options.reportEvery = 250
let key = PRNGKey(seed: 0)
let problem = try Problems.burgers()
let solver = try PINNSolver<MLP>(problem, options: options)
let bar = ProgressBar()
var state = try solver.start(MLP(widths: [2, 20, 20, 20, 20, 1], activation: .tanh, key: key), key: key)
(state, _) = try solver.train(state) { report in bar.draw(report.training); return true }
let error = solver.relativeError(state)!
print(String(format: "Burgers: relative L2 error %.3e after %d Adam steps and %d L-BFGS iterations", error,
             state.step, state.lbfgsIterations))
// Self-check for scripts/run-examples.sh: the default budget must beat 5e-2.
if error > 5e-2 { FileHandle.standardError.write(Data("error too large\n".utf8)); exit(1) }
