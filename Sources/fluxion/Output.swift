import Foundation

/// Writing lines to standard error, and progress lines to standard output.
enum FileHandleOutput {
    static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// A progress line on standard output, written at once (standard output to a file or a pipe is
    /// block-buffered, and a log followed with `tail -f` should show every line as it comes).
    static func progressLine(_ line: String) {
        print(line)
        fflush(nil)
    }
}
