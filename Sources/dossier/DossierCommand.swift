import ArgumentParser
import Dossier

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The `dossier` command-line tool.
@main
struct DossierCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dossier",
    abstract: "Full-text search for collections of reports.",
    discussion: """
      Exit codes:
        0  success
        1  no results (where a command was asked to report that)
        2  usage error or query syntax error
        3  index busy (another writer holds the lock)
        4  index corrupt
        5  input or I/O error (a file that could not be read or extracted)
        130  interrupted (dossier index commits the work done before stopping)
      """,
    subcommands: [
      SearchCommand.self, ShowCommand.self, EvalCommand.self, Extract.self, Analyze.self, IndexCommand.self,
      RemoveCommand.self, StatsCommand.self, MergeCommand.self,
      CheckCommand.self,
    ]
  )

  /// Runs the command and maps every failure to a documented exit code.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch let failure as CLIFailure {
      if !failure.message.isEmpty { Terminal.error(failure.message) }
      Glibc.exit(failure.status.rawValue)
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        // --help and --version.
        print(fullMessage(for: error))
        Glibc.exit(0)
      }
      let message = fullMessage(for: error)
      if !message.isEmpty { Terminal.error(message) }
      Glibc.exit(code == .validationFailure ? ExitStatus.usage.rawValue : ExitStatus.ioError.rawValue)
    }
  }
}

/// The documented exit codes of `dossier`.
enum ExitStatus: Int32 {
  case success = 0
  case noResults = 1
  case usage = 2
  case busy = 3
  case corrupt = 4
  case ioError = 5
  case interrupted = 130
}

/// A failure that ends the command with a given exit status. The message, when not empty, goes
/// to standard error prefixed with "dossier: ".
struct CLIFailure: Error {
  var status: ExitStatus
  var message: String
}

/// Output helpers: stdout for results, stderr for everything else.
enum Terminal {
  static func error(_ message: String) {
    var text = message
    if !text.hasPrefix("dossier:") && !text.hasPrefix("Error:") && !text.hasPrefix("Usage:") {
      text = "dossier: " + text
    }
    if !text.hasSuffix("\n") { text += "\n" }
    writeAll(2, Array(text.utf8))
  }

  static func out(_ text: String) {
    writeAll(1, Array(text.utf8))
  }

  static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { raw in
        write(fd, raw.baseAddress! + offset, raw.count - offset)
      }
      if n < 0 {
        if errno == EINTR { continue }
        return
      }
      offset += n
    }
  }

  static var stderrIsTerminal: Bool { isatty(2) == 1 }
  static var stdoutIsTerminal: Bool { isatty(1) == 1 }
}

/// Parses sizes such as `64M`, `512k`, `1G` or plain bytes.
func parseByteSize(_ text: String) -> Int? {
  let lower = text.lowercased().trimmingCharacters()
  let units: [(String, Int)] = [
    ("gib", 1 << 30), ("mib", 1 << 20), ("kib", 1 << 10), ("g", 1 << 30), ("m", 1 << 20), ("k", 1 << 10),
    ("b", 1),
  ]
  for (suffix, factor) in units where lower.hasSuffix(suffix) {
    guard let n = Int(lower.dropLast(suffix.count)), n >= 0 else { return nil }
    return n.multipliedReportingOverflow(by: factor).overflow ? nil : n * factor
  }
  return Int(lower).flatMap { $0 >= 0 ? $0 : nil }
}
