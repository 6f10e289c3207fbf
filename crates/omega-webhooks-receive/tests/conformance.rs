//! The receive conformance cases (`fixtures/receive/cases.json`): every body, header set and
//! handler outcome gets exactly the answer the case names — the same cases the Python and Node
//! receivers run.

use std::{collections::BTreeMap, path::PathBuf};

use omega_webhooks_receive::{Answer, Delivered, Receiver};
use serde::Deserialize;

/// One case (see `fixtures/receive/README.md`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    description: String,
    body_file: Option<String>,
    body: Option<String>,
    body_repeat: Option<Repeat>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    receiver: Options,
    handlers: Vec<String>,
    fails: Option<Fails>,
    /// How many times the body is delivered to one receiver; `expect` is the last answer.
    deliveries: Option<usize>,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Repeat {
    text: String,
    times: usize,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    max_body_bytes: Option<usize>,
    #[serde(default)]
    expose_errors: bool,
    endpoints: Option<Vec<String>>,
    dedupe: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fails {
    class: String,
    message: String,
}

#[derive(Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    outcome: String,
    status: u16,
    body: String,
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

impl Case {
    fn body(&self) -> Vec<u8> {
        if let Some(file) = &self.body_file {
            return std::fs::read(fixtures().join(file)).expect("body file");
        }
        if let Some(repeat) = &self.body_repeat {
            return repeat.text.repeat(repeat.times).into_bytes();
        }
        self.body.clone().expect("a body").into_bytes()
    }

    fn receiver(&self) -> Receiver {
        let mut builder = Receiver::builder().expose_errors(self.receiver.expose_errors);
        if let Some(bytes) = self.receiver.max_body_bytes {
            builder = builder.max_body_bytes(bytes);
        }
        if let Some(endpoints) = &self.receiver.endpoints {
            builder = builder.endpoints(endpoints.clone());
        }
        if let Some(dedupe) = &self.receiver.dedupe {
            builder = builder.dedupe(dedupe);
        }
        builder.build().expect("receiver")
    }

    /// What a receiver with the case's handlers answers (to the last delivery).
    async fn answer(&self) -> Answer {
        let receiver = self.receiver();
        let mut last = None;
        for _ in 0..self.deliveries.unwrap_or(1) {
            last = Some(match receiver.handle(&self.headers, &self.body()).await {
                Ok(delivery) => self.handlers_answer(&receiver, &delivery).await,
                Err(answer) => answer,
            });
        }
        last.expect("at least one delivery")
    }

    /// The same through the receiver's JSON path (Node's), which must answer alike.
    async fn answer_normalized(&self) -> Answer {
        let receiver = self.receiver();
        let mut last = None;
        for _ in 0..self.deliveries.unwrap_or(1) {
            last = Some(
                match receiver.read_normalized(&self.headers, &self.body()) {
                    Ok(normalized) => self.handlers_answer(&receiver, &normalized.head).await,
                    Err(answer) => answer,
                },
            );
        }
        last.expect("at least one delivery")
    }

    /// The answer once the handler of the delivery's type (if any) ran, claimed first.
    async fn handlers_answer(&self, receiver: &Receiver, delivery: &impl Delivered) -> Answer {
        let kind = delivery.event_type();
        if !self.handlers.iter().any(|h| h == kind || h == "*") {
            return receiver.unhandled(delivery);
        }
        let claim = match receiver.claim(delivery).await {
            Ok(claim) => claim,
            Err(answer) => return answer,
        };
        match &self.fails {
            Some(fails) => {
                claim.release().await;
                receiver.failed(delivery, &fails.class, &fails.message)
            }
            None => {
                claim.done().await;
                receiver.handled(delivery)
            }
        }
    }
}

#[tokio::test]
async fn every_case_gets_its_answer() {
    let text = std::fs::read_to_string(fixtures().join("receive/cases.json")).expect("cases");
    let cases: Vec<Case> = serde_json::from_str(&text).expect("cases parse");
    assert!(cases.len() >= 40, "{} cases", cases.len());
    for case in &cases {
        let answer = case.answer().await;
        let got = Expect {
            outcome: answer.outcome.name().to_owned(),
            status: answer.status,
            body: answer.body.clone(),
        };
        assert_eq!(got, case.expect, "{}", case.description);
        assert_eq!(
            case.answer_normalized().await,
            answer,
            "{} (JSON path)",
            case.description
        );
        assert!(answer.body.len() <= omega_webhooks_receive::MAX_ANSWER_BYTES);
        assert!(!answer.body.contains('\n'));
    }
}
