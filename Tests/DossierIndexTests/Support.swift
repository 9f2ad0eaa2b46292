import DossierTestSupport
import Testing

@testable import DossierIndex

#if canImport(Glibc)
  import Glibc
#endif

/// The directory implementations every storage suite runs against.
enum DirectoryKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
  case memory, file
  var testDescription: String { rawValue }

  /// A fresh, empty directory of this kind.
  func make() throws -> any Directory {
    switch self {
    case .memory: return MemoryDirectory()
    case .file:
      var template = Array("/tmp/dossier-index-test-XXXXXX".utf8CString)
      let path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
      return try FileDirectory(path: path)
    }
  }
}

/// Removes a file directory made by `DirectoryKind.make` (memory ones need nothing).
func cleanUp(_ dir: any Directory) {
  guard let d = dir as? FileDirectory else { return }
  for name in (try? d.listAll()) ?? [] { try? d.delete(name) }
  rmdir(d.path)
}

func hex(_ bytes: some Sequence<UInt8>) -> String {
  bytes.map { b in
    let s = String(b, radix: 16)
    return s.count == 1 ? "0" + s : s
  }.joined(separator: " ")
}
