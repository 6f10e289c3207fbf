//! 20,000 mutated bodies (`OMEGA_FUZZ_INPUTS` for more) through a receiver, as the Python and
//! Node suites do: never a panic nor a 5xx (no handler fails here); every refused body is a
//! 400 naming a path, or a 413; and the JSON path of Node reads each body as the models do.

#[path = "../../omega-webhooks-types/tests/support/mutate.rs"]
mod mutate;

use omega_webhooks_receive::{Outcome, Receiver, MAX_ANSWER_BYTES};

#[test]
fn fuzzed_bodies_are_answered_200_400_or_413() {
    let receiver = Receiver::builder()
        .max_body_bytes(4096)
        .build()
        .expect("receiver");
    let (mut handled, mut invalid, mut total) = (0, 0, 0);
    for body in mutate::inputs(20_000) {
        total += 1;
        let headers = [("content-type", "application/json")];
        let read = receiver.read(headers, &body);
        // Node's path (the event as normalized JSON) reads every body alike.
        match (&read, receiver.read_normalized(headers, &body)) {
            (Ok(delivery), Ok(normalized)) => {
                let json = serde_json::to_string(&delivery.event).expect("serializes");
                assert_eq!(normalized.json, json);
                assert_eq!(
                    receiver.handled(&normalized.head),
                    receiver.handled(delivery)
                );
            }
            (Err(answer), Err(again)) => assert_eq!(&again, answer),
            (one, other) => panic!("{one:?} but {other:?}"),
        }
        let answer = match read {
            Ok(delivery) => receiver.handled(&delivery),
            Err(answer) => answer,
        };
        assert!(answer.body.len() <= MAX_ANSWER_BYTES && !answer.body.contains('\n'));
        match answer.outcome {
            Outcome::Handled => handled += 1,
            Outcome::Invalid => {
                invalid += 1;
                let rest = answer.body.strip_prefix("WebhookPayloadError: ");
                let path = rest.and_then(|r| r.split_once(": ")).map(|(path, _)| path);
                assert!(path.is_some_and(|p| !p.is_empty()), "{}", answer.body);
            }
            Outcome::TooLarge => {}
            other => panic!(
                "{other}: {} for {}",
                answer.body,
                String::from_utf8_lossy(&body)
            ),
        }
    }
    assert!(
        handled > total / 20 && invalid > total / 20,
        "{handled} / {invalid} of {total}"
    );
}
