import ArgumentParser
import Dispatch
import Dossier
import Foundation

/// HTML extraction throughput: the files are read into memory first, then only extraction is
/// timed, on one thread and on all cores. Compare with `peers.py extract` (lxml) run in the
/// same sitting.
struct ExtractBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "extract", abstract: "HTML extraction throughput (MB of HTML per second).")

  @Option(name: .customLong("src"), help: "A folder of HTML files (repeatable).")
  var sources: [String] = ["/usr/share/doc/linux-doc-6.1/html", "/usr/share/doc/rust-doc/html"]

  @Option(help: "Threads for the parallel run (default: all cores).")
  var threads: Int = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "Repetitions; the median is reported.")
  var reps: Int = 3

  @Option(help: "Python with lxml for the peer run (see ../shared/bench/README.md); empty to skip it.")
  var peerPython: String = "/tmp/venv-perf/bin/python"

  @Option(help: "The peers script.")
  var peers: String = "../shared/bench/peers.py"

  func run() throws {
    let ingestion = Ingestion(walk: WalkOptions(include: ["*.html", "*.htm"]))
    let (files, _) = ingestion.collect(sources)
    var contents: [[UInt8]] = []
    contents.reserveCapacity(files.count)
    for f in files {
      contents.append((try? Data(contentsOf: URL(fileURLWithPath: f.path))).map { Array($0) } ?? [])
    }
    let totalBytes = contents.reduce(0) { $0 + $1.count }
    let mb = Double(totalBytes) / 1_000_000
    print("extract.files: \(files.count)")
    print("extract.html_mb: \(String(format: "%.1f", mb))")
    let peer = peerPython.isEmpty ? nil : try lxmlMBPerSecond()
    if let peer { print("extract.lxml.mb_per_s: \(String(format: "%.1f", peer))") }
    for t in [1, threads] {
      var times: [Double] = []
      var textBytes = 0
      for _ in 0..<max(1, reps) {
        let start = DispatchTime.now().uptimeNanoseconds
        textBytes = extractAll(contents, files: files, threads: t, ingestion: ingestion)
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
      }
      let median = times.sorted()[times.count / 2]
      print("extract.threads\(t).seconds: \(String(format: "%.2f", median))")
      print("extract.threads\(t).mb_per_s: \(String(format: "%.1f", mb / median))")
      print("extract.text_mb: \(String(format: "%.1f", Double(textBytes) / 1_000_000))")
      if let peer {
        print("extract.threads\(t).ratio_to_lxml: \(String(format: "%.2f", mb / median / peer))")
      }
    }
  }

  /// Runs `peers.py extract` (lxml, one process) on the same folders, in this sitting, and
  /// returns the MB of HTML per second it reports.
  func lxmlMBPerSecond() throws -> Double {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: peerPython)
    let out = FileManager.default.temporaryDirectory.path + "/dossier-bench-lxml.tsv"
    process.arguments =
      [peers, "extract"] + sources.flatMap { ["--src", $0] } + ["--ext", "html", "--out", out]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try? FileManager.default.removeItem(atPath: out)
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n").reversed() {
      if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        let mbps = object["raw_MBps"] as? Double
      {
        return mbps
      }
    }
    throw ValidationError("peers.py extract printed no raw_MBps; is lxml installed in \(peerPython)?")
  }

  /// Extracts every page; returns the bytes of text produced (title and blocks).
  func extractAll(_ contents: [[UInt8]], files: [SourceFile], threads: Int, ingestion: Ingestion) -> Int {
    let total = Counter()
    let next = Counter()
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
      var local = 0
      while true {
        let i = next.add(1)
        if i >= contents.count { break }
        if let doc = try? ingestion.extract(bytes: contents[i], name: files[i].path, id: files[i].id).first {
          local += doc.title.utf8.count + doc.blocks.reduce(0) { $0 + $1.utf8.count + 1 }
        }
      }
      _ = total.add(local)
    }
    return total.add(0)
  }
}

/// A lock-protected counter; `add` returns the value before adding.
final class Counter: @unchecked Sendable {
  private var value = 0
  private let lock = NSLock()
  func add(_ n: Int) -> Int {
    lock.lock()
    defer { lock.unlock() }
    let v = value
    value += n
    return v
  }
}
