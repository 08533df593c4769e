import Fluxion
import FluxionNN
import Foundation

/// How ``NeuralPotential/fit(_:to:options:report:)`` trains.
public struct FitOptions: Sendable {
    /// Adam steps (jitted, full batch), with the learning rate decaying exponentially.
    public var adamSteps = 2000
    public var learningRate = 3e-3
    public var decayRate = 0.5
    public var decaySteps = 1000
    /// L-BFGS iterations after Adam (0: none).
    public var lbfgsIterations = 500
    /// The weight of the mean squared force error against the energy error per atom.
    public var forceWeight = 1.0
    public var reportEvery = 100

    public init() {}
}

extension NeuralPotential {
    /// Trains on energies and forces: Adam then L-BFGS (FluxionNN's), minimizing
    /// ``ConfigurationBatch/loss(_:forceWeight:)``. `report` sees the step and the loss.
    public static func fit(_ initial: NeuralPotential, to batch: ConfigurationBatch, options: FitOptions = FitOptions(),
                           report: ((Int, Double) -> Void)? = nil) throws -> NeuralPotential {
        let weight = options.forceWeight
        let trainer = Trainer<NeuralPotential>(
            optimizer: .adam(learningRate: .exponentialDecay(initial: options.learningRate, transitionSteps: options.decaySteps,
                                                             rate: options.decayRate)),
            loss: { p, _ in batch.loss(p, forceWeight: weight) })
        trainer.reportEvery = options.reportEvery
        var state = trainer.start(initial, key: PRNGKey(seed: 0))
        if options.adamSteps > 0 {
            (state, _) = try trainer.train(state, until: options.adamSteps) { r in report?(r.step, r.loss); return true }
        }
        if options.lbfgsIterations > 0 {
            var lbfgs = LBFGS()
            lbfgs.maxIterations = options.lbfgsIterations
            let (refined, result) = trainer.refine(state, with: lbfgs)
            report?(options.adamSteps + result.iterations, result.value)
            state = refined
        }
        return state.parameters
    }
}
