package io.natsboot.sample;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamInfo;
import io.natsboot.core.NatsMessage;
import io.natsboot.core.NatsTemplate;
import io.natsboot.core.PublishBatchResult;
import io.natsboot.core.StoredObject;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * HTTP endpoints that show {@link NatsTemplate} and the {@link SampleListeners}: publish
 * to an event handler, one message or a batch with headers ({@code /greetings}), to a
 * queue-group worker ({@code /jobs}), request-reply with a listener service
 * ({@code /echo}), a JetStream stream with a durable listener ({@code /orders}) and the
 * object store ({@code /files}).
 * <p>
 * Text bodies are read as sent, whatever the content type: {@code curl -d 'hello'} sends
 * {@code application/x-www-form-urlencoded}, and Spring MVC would otherwise read it as a
 * form ({@code hello=}).
 */
@RestController
public class NatsShowcaseController {

	private final NatsTemplate nats;

	private final SampleListeners listeners;

	NatsShowcaseController(NatsTemplate nats, SampleListeners listeners) {
		this.nats = nats;
		this.listeners = listeners;
	}

	@PostMapping("/greetings")
	Published greet(InputStream body) throws IOException {
		String text = text(body);
		this.nats.publish("greetings", text);
		return new Published(text);
	}

	@PostMapping("/greetings/batch")
	BatchPublished greetAll(InputStream body) throws IOException {
		List<NatsMessage> messages = Arrays.stream(text(body).split(","))
			.map(String::trim)
			.filter((text) -> !text.isEmpty())
			.map((text) -> NatsMessage.builder("greetings")
				.payload(text)
				.header(SampleListeners.SOURCE_HEADER, "batch")
				.build())
			.toList();
		PublishBatchResult result = this.nats.publishBatch(messages);
		return new BatchPublished(result.published(), result.failures().size());
	}

	@GetMapping("/greetings")
	List<SampleListeners.Greeting> greetings() {
		return this.listeners.latestGreetings();
	}

	@PostMapping("/jobs/{kind}")
	Queued job(@PathVariable String kind, InputStream body) throws IOException {
		String name = text(body);
		this.nats.publish("jobs." + kind, new SampleListeners.Job(name));
		return new Queued(kind + ":" + name);
	}

	@GetMapping("/jobs")
	List<String> processedJobs() {
		return this.listeners.processedJobs();
	}

	@GetMapping("/echo")
	Reply echo(@RequestParam String text) {
		return new Reply(this.nats.request("service.echo", text, Duration.ofSeconds(2)).payloadAsString());
	}

	@PostMapping("/orders")
	Stored order(@RequestBody Order order) {
		PublishAck ack = this.nats.jetStream().publish("orders.created", order);
		return new Stored(ack.getStream(), ack.getSeqno());
	}

	@GetMapping("/orders/billed")
	List<String> billedOrders() {
		return this.listeners.billedOrders();
	}

	@GetMapping("/orders/stats")
	StreamFigures orderStats() {
		StreamInfo info = this.nats.jetStream().streamInfo(NatsShowcase.ORDERS_STREAM);
		return new StreamFigures(info.getStreamState().getMsgCount(), info.getStreamState().getByteCount());
	}

	@PutMapping("/files/{name}")
	FileStored store(@PathVariable String name, InputStream body) throws IOException {
		return new FileStored(name, this.nats.objectStore("files").put(name, body.readAllBytes()).getSize());
	}

	@GetMapping("/files/{name}")
	ResponseEntity<byte[]> file(@PathVariable String name) {
		StoredObject object = this.nats.objectStore("files").get(name);
		return (object != null) ? ResponseEntity.ok(object.data()) : ResponseEntity.notFound().build();
	}

	static String text(InputStream body) throws IOException {
		return new String(body.readAllBytes(), StandardCharsets.UTF_8);
	}

	/**
	 * An order, sent as JSON into the {@code ORDERS} stream.
	 *
	 * @param id the order id
	 * @param item what was ordered
	 * @param quantity how many
	 */
	record Order(String id, String item, int quantity) {
	}

	record Published(String published) {
	}

	record BatchPublished(int published, int failed) {
	}

	record Queued(String queued) {
	}

	record Reply(String reply) {
	}

	record Stored(String stream, long sequence) {
	}

	record StreamFigures(long messages, long bytes) {
	}

	record FileStored(String name, long size) {
	}

}
