//! List answers compressed once per list and encoding and kept, as a server with a cache of
//! compressed answers does, so that benchmarks of compressed transfers (W5) measure the clients
//! rather than the mock compressing 2.6 MB on every call. The compression layer leaves an answer
//! that already carries a `Content-Encoding` alone; everything else (details, errors) it still
//! compresses on the fly.

use std::{io::Write, sync::OnceLock};

use axum::{
    http::{header, HeaderMap},
    response::{IntoResponse, Response},
};
use bytes::Bytes;

/// A list body and its compressed forms, each made the first time a client asks for it.
pub(crate) struct ListBody {
    plain: Bytes,
    compressed: [OnceLock<Bytes>; 3],
}

impl ListBody {
    /// A body not compressed yet.
    pub(crate) fn new(plain: Bytes) -> Self {
        ListBody {
            plain,
            compressed: Default::default(),
        }
    }

    /// The answer for a request: compressed with the encoding its `Accept-Encoding` prefers
    /// (which the script middleware has narrowed to what the mock offers), else plain.
    pub(crate) fn answer(&self, request: &HeaderMap) -> Response {
        let json = (header::CONTENT_TYPE, "application/json");
        match preferred(request) {
            Some(encoding) => {
                let body = self.compressed[encoding as usize]
                    .get_or_init(|| encoding.compress(&self.plain))
                    .clone();
                ([json, (header::CONTENT_ENCODING, encoding.name())], body).into_response()
            }
            None => ([json], self.plain.clone()).into_response(),
        }
    }
}

/// The encodings the mock offers, in the order that breaks ties between equal q-values (the
/// last wins, as in tower-http's compression layer).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Encoding {
    Gzip,
    Br,
    Zstd,
}

impl Encoding {
    const ALL: [Encoding; 3] = [Encoding::Gzip, Encoding::Br, Encoding::Zstd];

    fn name(self) -> &'static str {
        match self {
            Encoding::Gzip => "gzip",
            Encoding::Br => "br",
            Encoding::Zstd => "zstd",
        }
    }

    /// `body` compressed at the fastest level, as the compression layer does.
    fn compress(self, body: &[u8]) -> Bytes {
        // Writing to a Vec cannot fail.
        let compressed = match self {
            Encoding::Gzip => {
                let mut encoder =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                let _ = encoder.write_all(body);
                encoder.finish().unwrap_or_default()
            }
            Encoding::Br => {
                let mut out = Vec::new();
                let mut encoder = brotli::CompressorWriter::new(&mut out, 4096, 0, 22);
                let _ = encoder.write_all(body);
                drop(encoder);
                out
            }
            Encoding::Zstd => zstd::bulk::compress(body, 1).unwrap_or_default(),
        };
        Bytes::from(compressed)
    }
}

/// The coding of `Accept-Encoding` with the highest q-value (ties: see [`Encoding`]); none when
/// the header names none of the mock's or refuses them all (`q=0`).
fn preferred(request: &HeaderMap) -> Option<Encoding> {
    request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next()?.trim();
            let encoding = Encoding::ALL
                .into_iter()
                .find(|e| e.name().eq_ignore_ascii_case(name))?;
            let quality = match parts.next().map(str::trim) {
                Some(q) => q.strip_prefix("q=")?.parse::<f32>().ok()?,
                None => 1.0,
            };
            // Thousandths: q-values have at most three decimals.
            let thousandths = (quality * 1000.0).round() as u16;
            (thousandths > 0).then_some((thousandths, encoding))
        })
        .max()
        .map(|(_, encoding)| encoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepting(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, value.parse().expect("header"));
        headers
    }

    #[test]
    fn the_highest_quality_wins_and_ties_go_to_the_last_encoding() {
        let name = |value| preferred(&accepting(value)).map(Encoding::name);
        assert_eq!(name("gzip"), Some("gzip"));
        assert_eq!(name("gzip, br, zstd"), Some("zstd"));
        assert_eq!(name("zstd;q=0.5, GZIP"), Some("gzip"));
        assert_eq!(name("br;q=0.9, gzip;q=0.8"), Some("br"));
        assert_eq!(name("gzip;q=0, identity"), None);
        assert_eq!(name("deflate, x-foo"), None);
        assert_eq!(name("gzip;q=bad"), None);
        assert_eq!(preferred(&HeaderMap::new()).map(Encoding::name), None);
    }
}
