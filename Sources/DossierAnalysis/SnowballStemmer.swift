import CStemmer

/// One Snowball stemmer from libstemmer, for UTF-8 words that are already case-folded.
///
/// Not thread-safe (libstemmer keeps its working buffer in the stemmer): give each thread its
/// own, as `AnalysisSession` does.
///
///     let stemmer = SnowballStemmer(algorithm: "english")!
///     stemmer.stem("surveillance")   // "surveil"
///
/// Cost: about 0.2 µs for a short word; the session caches results in front of it.
public final class SnowballStemmer {
  let handle: OpaquePointer
  /// The algorithm's name, as `sb_stemmer_list` gives it.
  public let algorithm: String

  /// A stemmer for `algorithm` (`english`, `porter`, `spanish`, ...), or nil when libstemmer
  /// has no such algorithm.
  public init?(algorithm: String) {
    guard let handle = sb_stemmer_new(algorithm, "UTF_8") else { return nil }
    self.handle = handle
    self.algorithm = algorithm
  }

  deinit { sb_stemmer_delete(handle) }

  /// Every algorithm the installed libstemmer offers.
  public static var algorithms: [String] {
    var names: [String] = []
    guard var list = sb_stemmer_list() else { return names }
    while let name = list.pointee {
      names.append(String(cString: name))
      list += 1
    }
    return names
  }

  /// Stems `word`.
  public func stem(_ word: String) -> String {
    var out: [UInt8] = []
    var word = word
    word.withUTF8 { stem($0, into: &out) }
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends the stem of the UTF-8 `word` to `out`.
  package func stem(_ word: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
    guard let base = word.baseAddress, word.count > 0,
      let result = sb_stemmer_stem(handle, base, Int32(word.count))
    else {
      out.append(contentsOf: word)
      return
    }
    let length = Int(sb_stemmer_length(handle))
    out.append(contentsOf: UnsafeBufferPointer(start: result, count: length))
  }
}
