import DossierIngest

extension Document {
  /// Writes the document as one JSON object: `id`, `path`, `type`, `encoding`, `title`,
  /// `metadata`, `headings` (`level`, `text`), `blocks` and `warnings`, in that order.
  ///
  /// Cost: O(size of the document).
  public func writeJSON(to w: inout JSONWriter) {
    w.object { o in
      o.key("id")
      o.string(id)
      o.key("path")
      o.optionalString(path)
      o.key("type")
      o.string(type.rawValue)
      o.key("encoding")
      o.optionalString(encoding)
      o.key("title")
      o.string(title)
      o.key("metadata")
      o.stringMap(metadata)
      o.key("headings")
      o.array { a in
        for h in headings {
          a.object { ho in
            ho.key("level")
            ho.number(h.level)
            ho.key("text")
            ho.string(h.text)
          }
        }
      }
      o.key("blocks")
      o.stringArray(blocks)
      o.key("warnings")
      o.stringArray(warnings)
    }
  }
}
