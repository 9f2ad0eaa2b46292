import DossierIndex
import Foundation

/// What `dossier stats` shows: counts, per-field statistics, bytes by file kind, and the
/// settings stored in the index.
package struct IndexStatistics: Sendable {
  package struct Field: Sendable {
    package var name: String
    package var documents: Int
    package var tokens: UInt64
    package var terms: UInt64
  }
  package var path: String
  package var generation: UInt64
  package var documents: Int
  package var deleted: Int
  package var segments: [(name: String, documents: Int, deleted: Int)]
  package var fields: [Field]
  /// Bytes by file kind (extension: `doc`, `pos`, `dict`, `store`, `norm`, `num`, `si`, `del`,
  /// `manifest`, `attachments`).
  package var bytes: [String: Int]
  package var settings: IndexSettings
  package var sourceFiles: Int
  package var failedSourceFiles: Int

  /// The distinct terms of `field` across segments: their sorted term lists merged, O(terms
  /// times segments).
  static func distinctTerms(_ segments: [SegmentReader], field: FieldNumber) -> UInt64 {
    var iterators = segments.map { $0.terms(field: field) }
    var current: [[UInt8]?] = iterators.indices.map { iterators[$0].next() ? Array(iterators[$0].term) : nil }
    var count: UInt64 = 0
    while true {
      var smallest: [UInt8]? = nil
      for term in current {
        if let term, smallest == nil || term.lexicographicallyPrecedes(smallest!) { smallest = term }
      }
      guard let smallest else { return count }
      count += 1
      for k in current.indices where current[k] == smallest {
        current[k] = iterators[k].next() ? Array(iterators[k].term) : nil
      }
    }
  }

  /// Reads the statistics of the index at `path` (its current commit).
  package static func read(path: String) throws(DossierError) -> IndexStatistics {
    do {
      let directory = try openExistingIndexFolder(path)
      guard let snapshot = try IndexSnapshot.open(directory) else {
        throw DossierError.notAnIndex(path: path)
      }
      let settings = try IndexSettings.decode(
        snapshot.manifest.settings, file: "\(path)/\(Manifest.fileName)")
      var fields: [Field] = []
      for info in FieldSchema.standard.fields {
        var f = Field(name: info.name, documents: 0, tokens: 0, terms: 0)
        for segment in snapshot.segments {
          let s = segment.stats(field: info.number)
          f.documents += Int(s.docCount)
          f.tokens += s.totalTokens
          f.terms += s.termCount
        }
        // A term in several segments is one term: count the distinct ones.
        if snapshot.segments.count > 1 { f.terms = Self.distinctTerms(snapshot.segments, field: info.number) }
        fields.append(f)
      }
      var bytes: [String: Int] = [:]
      for name in snapshot.manifest.referencedFiles {
        let size = (try? directory.fileLength(name)) ?? 0
        let kind: String
        if name == Manifest.fileName {
          kind = "manifest"
        } else if name.hasPrefix("att_") {
          kind = "attachments"
        } else {
          kind = String(name.split(separator: ".").last ?? "")
        }
        bytes[kind, default: 0] += size
      }
      var sources = SourceManifest()
      if let data = try snapshot.attachment("sources") {
        sources = (try? SourceManifest.decode(data)) ?? sources
      }
      return IndexStatistics(
        path: path, generation: snapshot.manifest.generation, documents: snapshot.liveDocCount,
        deleted: snapshot.docCount - snapshot.liveDocCount,
        segments: snapshot.segments.map { ($0.name, Int($0.docCount), Int($0.docCount - $0.liveDocCount)) },
        fields: fields, bytes: bytes, settings: settings, sourceFiles: sources.entries.count,
        failedSourceFiles: sources.entries.values.filter { $0.status == .failed }.count)
    } catch {
      throw DossierError(error)
    }
  }
}

/// What `dossier check` found.
package struct CheckReport: Sendable {
  package var filesChecked = 0
  package var bytesChecked = 0
  package var segments = 0
  package var documents = 0
  /// Index files no commit names (left by a crash; the next writer removes them).
  package var unreferenced: [String] = []

  /// Verifies the index at `path`: every checksum of every file the commit names, each
  /// segment's structure, the manifest's agreement with the segments, the attachments and the
  /// settings, and that no id is live twice. Throws `DossierError.corrupt` naming the first
  /// damaged file.
  package static func run(path: String) throws(DossierError) -> CheckReport {
    var report = CheckReport()
    do {
      let directory = try openExistingIndexFolder(path)
      guard let snapshot = try IndexSnapshot.open(directory) else {
        throw DossierError.notAnIndex(path: path)
      }
      _ = try IndexSettings.decode(snapshot.manifest.settings, file: "\(path)/\(Manifest.fileName)")
      try snapshot.verify()
      if let data = try snapshot.attachment("sources") {
        do { _ = try SourceManifest.decode(data) } catch {
          throw DossierError.corrupt(file: snapshot.manifest.attachments["sources"]!, detail: "\(error)")
        }
      }
      let referenced = snapshot.manifest.referencedFiles
      for name in referenced.sorted() {
        report.filesChecked += 1
        report.bytesChecked += (try? directory.fileLength(name)) ?? 0
      }
      report.segments = snapshot.segments.count
      report.documents = snapshot.liveDocCount
      report.unreferenced = try directory.listAll().filter {
        IndexWriter.isIndexFile($0) && !referenced.contains($0)
      }
    } catch {
      throw DossierError(error)
    }
    return report
  }
}

/// The folder of an existing index; `DossierError.notAnIndex` when it does not exist.
package func openExistingIndexFolder(_ path: String) throws -> FileDirectory {
  var isFolder: ObjCBool = false
  guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
    throw DossierError.notAnIndex(path: path)
  }
  return try FileDirectory(path: path)
}
