package io.natsboot.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.core.ParameterizedTypeReference;

import static io.natsboot.core.NatsTemplateTestSupport.settle;
import static io.natsboot.core.NatsTemplateTestSupport.withTemplate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Request-reply against real responders: echo, typed replies, timeouts, no responders,
 * service errors and many requests in flight.
 */
@WithNatsServer(jetStream = false)
class NatsTemplateRequestReplyTests {

	static String url;

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	@Test
	void anEchoServiceAnswers() {
		withTemplate(url, "svc", (template) -> {
			echo(template, "service.echo");
			NatsMessage reply = template.request("service.echo", "Hello", Duration.ofSeconds(2));
			assertThat(reply.payloadAsString()).isEqualTo("Hello");
		});
	}

	@Test
	void repliesConvertToTypesAndGenericTypes() {
		withTemplate(url, "svc", (template) -> {
			template.subscribe("calc.square", (message) -> {
				Number number = message.payloadAs(Number.class);
				reply(template, message, new Result(number.intValue() * number.intValue()));
			});
			template.subscribe("calc.range",
					(message) -> reply(template, message, List.of(new Result(1), new Result(2), new Result(3))));
			settle(template);
			assertThat(template.requestAndConvert("calc.square", 7, Result.class)).isEqualTo(new Result(49));
			assertThat(template.requestAndConvert("calc.range", 3, new ParameterizedTypeReference<List<Result>>() {
			}, Duration.ofSeconds(2))).containsExactly(new Result(1), new Result(2), new Result(3));
		});
	}

	@Test
	void aSilentResponderTimesOutNamingSubjectAndTimeout() {
		withTemplate(url, "svc", (template) -> {
			template.subscribe("service.slow", (message) -> {
				// listens, never answers
			});
			settle(template);
			long start = System.nanoTime();
			assertThatExceptionOfType(NatsRequestTimeoutException.class)
				.isThrownBy(() -> template.request("service.slow", "ping", Duration.ofMillis(300)))
				.withMessageContaining("svc.service.slow")
				.withMessageContaining("PT0.3S");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
		});
	}

	@Test
	void nobodyListeningIsReportedAsNoResponders() {
		withTemplate(url, "svc",
				(template) -> assertThatExceptionOfType(NatsNoRespondersException.class)
					.isThrownBy(() -> template.request("service.nobody", "ping", Duration.ofSeconds(2)))
					.withMessageContaining("svc.service.nobody"));
	}

	@Test
	void aServiceErrorReplyBecomesAnException() {
		withTemplate(url, "svc", (template) -> {
			Connection connection = template.getConnection();
			template.subscribe("service.strict", (message) -> {
				Headers headers = new Headers().put("Nats-Service-Error", "order id missing")
					.put("Nats-Service-Error-Code", "400");
				connection.publish(message.replyTo(), headers, new byte[0]);
			});
			settle(template);
			assertThatExceptionOfType(NatsServiceErrorException.class)
				.isThrownBy(() -> template.request("service.strict", "{}", Duration.ofSeconds(2)))
				.satisfies((ex) -> {
					assertThat(ex.getCode()).isEqualTo(400);
					assertThat(ex.getError()).isEqualTo("order id missing");
					assertThat(ex.getSubject()).isEqualTo("svc.service.strict");
				});
		});
	}

	@Test
	void manyAsyncRequestsInFlightEachGetTheirOwnReply() throws Exception {
		withTemplate(url, "svc", (template) -> {
			echo(template, "service.echo");
			List<CompletableFuture<NatsMessage>> replies = new java.util.ArrayList<>();
			for (int i = 0; i < 200; i++) {
				replies.add(template.requestAsync("service.echo", "request-" + i, Duration.ofSeconds(5)));
			}
			for (int i = 0; i < 200; i++) {
				assertThat(join(replies.get(i)).payloadAsString()).isEqualTo("request-" + i);
			}
			// jnats counts a reply just after it completes its future
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(2))
				.untilAsserted(() -> assertThat(template.getConnection().getStatistics().getRepliesReceived())
					.isGreaterThanOrEqualTo(200));
		});
	}

	@Test
	void anAsyncRequestFailsItsFutureWithTheSameExceptions() {
		withTemplate(url, "svc", (template) -> {
			CompletableFuture<NatsMessage> reply = template.requestAsync("service.nobody", "x", Duration.ofSeconds(2));
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> reply.get(5, TimeUnit.SECONDS))
				.withCauseInstanceOf(NatsNoRespondersException.class);
		});
	}

	private static void echo(NatsTemplate template, String subject) {
		template.subscribe(subject,
				(message) -> template.getConnection().publish(message.replyTo(), message.payload()));
		settle(template);
	}

	private static void reply(NatsTemplate template, NatsMessage request, Object value) {
		template.withoutNamespace()
			.publish(NatsMessage.builder(request.replyTo())
				.payload(template.getMessageConverter().write(value, request.replyTo()).data())
				.header("Content-Type", "application/json")
				.build());
	}

	private static NatsMessage join(CompletableFuture<NatsMessage> future) {
		try {
			return future.get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError(ex);
		}
	}

	record Result(int value) {
	}

}
