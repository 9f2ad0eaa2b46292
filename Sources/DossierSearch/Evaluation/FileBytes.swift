import Foundation

/// The contents of a file, or nil if it cannot be read.
func readFileBytes(_ path: String) -> [UInt8]? {
  FileManager.default.contents(atPath: path).map { [UInt8]($0) }
}
