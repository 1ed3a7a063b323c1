package io.natsboot.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamInfo;
import io.natsboot.core.NatsTemplate;
import io.natsboot.core.StoredObject;
import io.natsboot.task.TaskOptions;
import io.natsboot.task.TaskPriority;
import io.natsboot.task.TaskQueue;
import io.natsboot.task.TaskReceipt;
import io.natsboot.task.TaskStatus;

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
 * to an event handler ({@code /greetings}), to a queue-group worker ({@code /tasks}),
 * request-reply with a listener service ({@code /echo}), a JetStream stream with a
 * durable listener ({@code /orders}, {@code /orders/billed}), a task queue
 * ({@code /reports}) and the object store ({@code /files}).
 */
@RestController
public class NatsShowcaseController {

	private final NatsTemplate nats;

	private final SampleListeners listeners;

	private final TaskQueue tasks;

	NatsShowcaseController(NatsTemplate nats, SampleListeners listeners, TaskQueue tasks) {
		this.nats = nats;
		this.listeners = listeners;
		this.tasks = tasks;
	}

	@PostMapping("/greetings")
	Map<String, String> greet(@RequestBody String text) {
		this.nats.publish("greetings", text);
		return Map.of("published", text);
	}

	@GetMapping("/greetings")
	List<SampleListeners.Greeting> greetings() {
		return this.listeners.latestGreetings();
	}

	@PostMapping("/tasks/{kind}")
	Map<String, String> task(@PathVariable String kind, @RequestBody String name) {
		this.nats.publish("tasks." + kind, new SampleListeners.Task(name));
		return Map.of("queued", kind + ":" + name);
	}

	@GetMapping("/tasks")
	List<String> processedTasks() {
		return this.listeners.processedTasks();
	}

	@GetMapping("/echo")
	Map<String, String> echo(@RequestParam String text) {
		return Map.of("reply", this.nats.request("service.echo", text, Duration.ofSeconds(2)).payloadAsString());
	}

	@PostMapping("/orders")
	Map<String, Object> order(@RequestBody Order order) {
		PublishAck ack = this.nats.jetStream().publish("orders.created", order);
		return Map.of("stream", ack.getStream(), "sequence", ack.getSeqno());
	}

	@GetMapping("/orders/billed")
	List<String> billedOrders() {
		return this.listeners.billedOrders();
	}

	@GetMapping("/orders/stats")
	Map<String, Object> orderStats() {
		StreamInfo info = this.nats.jetStream().streamInfo(NatsShowcase.ORDERS_STREAM);
		return Map.of("messages", info.getStreamState().getMsgCount(), "bytes", info.getStreamState().getByteCount());
	}

	@PostMapping("/reports/{month}")
	Map<String, Object> report(@PathVariable String month) {
		TaskReceipt receipt = this.tasks.enqueue("build_report", new SampleTasks.ReportRequest(month),
				TaskOptions.priority(TaskPriority.HIGH).id("report-" + month));
		return Map.of("id", receipt.id(), "duplicate", receipt.duplicate());
	}

	@GetMapping("/reports/{id}")
	ResponseEntity<Map<String, Object>> reportStatus(@PathVariable String id) {
		TaskStatus status = this.tasks.status(id);
		if (status == null) {
			return ResponseEntity.notFound().build();
		}
		SampleTasks.Report report = this.tasks.result(id, SampleTasks.Report.class);
		return ResponseEntity.ok(Map.of("state", status.state(), "attempts", status.attempts(), "progress",
				status.progress(), "result", (report != null) ? report : "none yet"));
	}

	@PutMapping("/files/{name}")
	Map<String, Object> store(@PathVariable String name, @RequestBody byte[] content) {
		return Map.of("name", name, "size", this.nats.objectStore("files").put(name, content).getSize());
	}

	@GetMapping("/files/{name}")
	ResponseEntity<byte[]> file(@PathVariable String name) {
		StoredObject object = this.nats.objectStore("files").get(name);
		return (object != null) ? ResponseEntity.ok(object.data()) : ResponseEntity.notFound().build();
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

}
