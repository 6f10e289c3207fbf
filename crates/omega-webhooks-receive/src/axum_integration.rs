//! axum (feature `axum`): [`OmegaDelivery`], an extractor that receives a delivery with the
//! [`Receiver`] in the router's state, [`receive_request`] beneath it, and [`Answer`] as a
//! response.

use axum::{
    body::{Body, Bytes},
    extract::{FromRef, FromRequest, Request},
    http::{header, Method, StatusCode},
    response::{IntoResponse, Response},
};

use omega_webhooks_client::REPLAY_HEADER;

use crate::{Answer, Delivery, Receiver};

/// A delivery that passed the [`Receiver`] of the router's state (`Receiver: FromRef<S>`):
/// read, and verified when the receiver verifies. Otherwise the request is answered with the
/// receiver's [`Answer`] (405 for a method other than POST, 413, 400, 403, 503) and the
/// handler does not run.
///
/// ```no_run
/// use axum::{extract::State, routing::post, Router};
/// use omega_webhooks_receive::{Answer, OmegaDelivery, Receiver};
///
/// async fn hook(State(receiver): State<Receiver>, OmegaDelivery(delivery): OmegaDelivery) -> Answer {
///     println!("{} {}", delivery.event.event_type, delivery.event.id);
///     receiver.handled(&delivery)
/// }
///
/// let receiver = Receiver::builder().build().expect("default options");
/// let app: Router = Router::new().route("/hooks/omega", post(hook)).with_state(receiver);
/// ```
#[derive(Debug, Clone)]
pub struct OmegaDelivery(pub Delivery);

impl<S> FromRequest<S> for OmegaDelivery
where
    Receiver: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Answer;

    async fn from_request(request: Request, state: &S) -> Result<Self, Answer> {
        let receiver = Receiver::from_ref(state);
        let (delivery, _body) = receive_request(&receiver, request).await?;
        Ok(OmegaDelivery(delivery))
    }
}

/// What [`OmegaDelivery`] does, for a handler that also needs the body's bytes (to pass them
/// on, as `omega-webhooks receive --forward-to` does): the delivery, or the answer to give.
pub async fn receive_request(
    receiver: &Receiver,
    request: Request,
) -> Result<(Delivery, Bytes), Answer> {
    let replay = request.headers().contains_key(REPLAY_HEADER);
    if request.method() != Method::POST {
        return Err(receiver.logged(Answer::method_not_allowed(), replay));
    }
    let (parts, body) = request.into_parts();
    let limit = receiver.max_body_bytes();
    // One byte over the cap is enough to know the body is too large.
    let bytes = axum::body::to_bytes(body, limit.saturating_add(1))
        .await
        .map_err(|_| receiver.logged(Answer::too_large(limit), replay))?;
    let headers = parts
        .headers
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)));
    let delivery = receiver.handle(headers, &bytes).await?;
    Ok((delivery, bytes))
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = self.headers();
        let mut response = Response::new(Body::from(self.body));
        *response.status_mut() = status;
        for (name, value) in headers {
            response
                .headers_mut()
                .insert(name, header::HeaderValue::from_static(value));
        }
        response
    }
}
