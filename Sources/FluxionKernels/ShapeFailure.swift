/// Stops with a message naming the operation: the form every shape or dtype error takes.
package func shapeFailure(_ operation: String, _ message: String) -> Never {
    fatalError("\(operation): \(message)")
}
