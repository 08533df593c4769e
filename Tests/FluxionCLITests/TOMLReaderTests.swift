import FluxionInput
import Testing

@Suite("TOML reader")
struct TOMLReaderTests {
    @Test func readsTheTOMLThatInputFilesUse() throws {
        let text = """
            # a comment
            title = "a \\"quoted\\" \\u00e9 string"   # trailing comment
            literal = 'C:\\path'
            "quoted key" = 1_000
            hex = 0xff
            neg = -17
            pi = 3.141_5
            small = 1e-3
            big = +6.02E23
            off = false
            nothing = nan
            multi = \"\"\"
            two
            lines\"\"\"
            a.b.c = 1
            [network]
            hidden = [
              20, 20,   # comment inside
              20,
            ]
            nested = [[1, 2], ["x"]]
            point = { x = 1, y = 2.5 }
            [a.d]
            e = true
            """
        let v = try parseTOML(text, file: "t.toml")
        #expect(v["title"] == .string("a \"quoted\" é string"))
        #expect(v["literal"] == .string("C:\\path"))
        #expect(v["quoted key"] == .int(1000) && v["hex"] == .int(255) && v["neg"] == .int(-17))
        #expect(v["pi"] == .double(3.1415) && v["small"] == .double(1e-3) && v["big"] == .double(6.02e23))
        #expect(v["off"] == .bool(false))
        if case let .double(x)? = v["nothing"] { #expect(x.isNaN) } else { Issue.record("nan") }
        #expect(v["multi"] == .string("two\nlines"))
        #expect(v["a"] == .table(["b": .table(["c": .int(1)]), "d": .table(["e": .bool(true)])]))
        guard case let .table(network)? = v["network"] else { Issue.record("no network table"); return }
        #expect(network["hidden"] == .array([.int(20), .int(20), .int(20)]))
        #expect(network["nested"] == .array([.array([.int(1), .int(2)]), .array([.string("x")])]))
        #expect(network["point"] == .table(["x": .int(1), "y": .double(2.5)]))
    }

    /// Malformed files are errors naming the line (among them the two inputs that made toml++ abort).
    @Test func malformedFilesAreErrorsWithTheirLine() {
        let cases: [(String, String)] = [
            ("a = 1\n[!network]\n", "line 2"),
            ("hidden = [20, 20, }\n", "line 1"),
            ("a = 1\na = 2\n", "a is defined twice"),
            ("[t]\n[t]\n", "defined twice"),
            ("a = \"open\n", "line 1"),
            ("a = 01\n", "leading zeros"),
            ("a = 1__0\n", "misplaced _"),
            ("a = 1979-05-27T07:32:00Z\n", "dates and times"),
            ("[[points]]\n", "arrays of tables"),
            ("a = 1 b = 2\n", "end of the line"),
            ("a = 99999999999999999999\n", "too large"),
            ("a = 1.\n", "digits after"),
            ("a = " + String(repeating: "[", count: 200) + "\n", "nested deeper"),
            ("a = \"\\q\"\n", "unknown escape"),
            ("a = \"x\\ y\"\n", "unknown escape"),
            ("x.y = 1\nx = 2\n", "defined twice"),
        ]
        for (text, expected) in cases {
            #expect(throws: InputError.self, "\(text)") { try parseTOML(text, file: "f.toml") }
            do { _ = try parseTOML(text, file: "f.toml") } catch {
                #expect(error.description.hasPrefix("f.toml: line ") && error.description.contains(expected), "\(error)")
            }
        }
    }
}
