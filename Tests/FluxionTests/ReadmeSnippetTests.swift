import Foundation
import Testing

/// Every Swift snippet of README.md is compiled and run: `ReadmeSnippets.swift` holds them,
/// generated from the README, and a test checks that it is up to date. After editing the README,
/// regenerate it with `FLUXION_UPDATE_README_SNIPPETS=1 swift test --filter ReadmeSnippet`.
@Suite("README snippets")
struct ReadmeSnippetTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let generatedFile = root.appendingPathComponent("Tests/FluxionTests/ReadmeSnippets.swift")

    /// The Swift file that holds the README's snippets: one scope per `###` section, nested, so a
    /// section sees the names of the sections before it and may shadow them.
    static func generate(from readme: String) -> String {
        var sections: [(title: String, code: [String])] = []
        var inSwift = false
        for line in readme.components(separatedBy: "\n") {
            if line.hasPrefix("### ") {
                sections.append((String(line.dropFirst(4)), []))
            } else if line.hasPrefix("```swift") {
                inSwift = true
            } else if inSwift && line.hasPrefix("```") {
                inSwift = false
            } else if inSwift, !sections.isEmpty {
                sections[sections.count - 1].code.append(line)
            }
        }
        let withCode = sections.filter { !$0.code.isEmpty }
        var out = [
            "// Generated from README.md by ReadmeSnippetTests; do not edit.",
            "// swiftlint:disable all",
            "import Foundation",
            "import Fluxion",
            "import FluxionNN",
            "import FluxionPINN",
            "import FluxionMD",
            "",
            "/// The README's snippets, in order.",
            "func runReadmeSnippets() throws {",
        ]
        for (depth, section) in withCode.enumerated() {
            let indent = String(repeating: "    ", count: depth + 1)
            out.append(indent + "do { // \(section.title)")
            out += section.code.map { $0.isEmpty ? "" : indent + "    " + $0 }
        }
        for depth in (0..<withCode.count).reversed() { out.append(String(repeating: "    ", count: depth + 1) + "}") }
        out.append("}")
        return out.joined(separator: "\n") + "\n"
    }

    @Test func generatedFileMatchesTheReadme() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let expected = Self.generate(from: readme)
        if ProcessInfo.processInfo.environment["FLUXION_UPDATE_README_SNIPPETS"] != nil {
            try expected.write(to: Self.generatedFile, atomically: true, encoding: .utf8)
        }
        let current = try String(contentsOf: Self.generatedFile, encoding: .utf8)
        #expect(current == expected, "README.md changed: run FLUXION_UPDATE_README_SNIPPETS=1 swift test --filter ReadmeSnippet")
    }

    @Test func snippetsRun() throws {
        try runReadmeSnippets()
    }
}
