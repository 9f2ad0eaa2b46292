import CLibXML2

/// Extracts a `Document` from HTML through libxml2's HTML parser. (Placeholder: the full
/// extractor replaces this file.)
package enum HTMLExtractor {
  /// Initializes libxml2 once; call on the main thread before parsing threads start.
  package static func initialize() {
    xmlInitParser()
  }

  package static func extract(
    _ bytes: [UInt8], id: String, path: String?, keepBoilerplate: Bool
  ) throws(IngestError) -> Document {
    let decoded = TextDecoder.decode(bytes)
    return Document(id: id, type: .html, path: path, encoding: decoded.encoding, title: id, blocks: [decoded.text])
  }
}
