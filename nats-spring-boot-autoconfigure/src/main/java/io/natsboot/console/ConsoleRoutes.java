package io.natsboot.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.natsboot.core.NatsException;
import io.natsboot.core.NatsFailures;
import io.natsboot.core.NatsNotConnectedException;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The console's routes, below its path: the page and its files, the JSON API of every
 * view ({@code api/overview}, {@code api/tasks}, ...) and the actions (POSTs). Every
 * request passes the {@link ConsoleAccess} check; every action also needs actions enabled
 * and the CSRF token. Failures answer JSON: 503 with {@code {"available": false,
 * "reason": ...}} while NATS cannot answer, 404 for what does not exist, 400 for bad
 * input, 401/403 for refusals.
 */
public class ConsoleRoutes {

	private static final Log logger = LogFactory.getLog(ConsoleRoutes.class);

	private final ConsoleSettings settings;

	private final ConsolePage page;

	private final ConsoleAccess access;

	private final ConsoleCsrf csrf;

	private final Views views;

	/**
	 * Creates the routes.
	 * @param settings the console's settings
	 * @param page the page and its files
	 * @param access who may use the console
	 * @param csrf the CSRF protection of actions
	 * @param views the views the application has
	 */
	public ConsoleRoutes(ConsoleSettings settings, ConsolePage page, ConsoleAccess access, ConsoleCsrf csrf,
			Views views) {
		this.settings = settings;
		this.page = page;
		this.access = access;
		this.csrf = csrf;
		this.views = views;
	}

	/**
	 * The views the routes answer with.
	 * @return the views
	 */
	public Views getViews() {
		return this.views;
	}

	/**
	 * The router function.
	 * @return the routes
	 */
	public RouterFunction<ServerResponse> routes() {
		String path = this.settings.path();
		return RouterFunctions.route()
			.GET(path, this::page)
			.GET(path + "/", this::page)
			.GET(path + "/assets/{file}", this::asset)
			.GET(path + "/api/session", this::session)
			.GET(path + "/api/overview", (request) -> json(this.views.overview().describe()))
			.GET(path + "/api/tasks", (request) -> json(tasks().describe()))
			.GET(path + "/api/tasks/dead",
					(request) -> json(
							tasks().deadLetters(request.param("queue").filter((queue) -> !queue.isBlank()).orElse(null),
									number(request, "before", 0), (int) number(request, "size", 20))))
			.GET(path + "/api/tasks/{id}", this::task)
			.POST(path + "/api/tasks/dead/purge", (request) -> action(request,
					() -> tasks().purge(request.param("queue").filter((queue) -> !queue.isBlank()).orElse(null))))
			.POST(path + "/api/tasks/dead/{id}/requeue",
					(request) -> action(request, () -> tasks().requeue(request.pathVariable("id"))))
			.POST(path + "/api/tasks/dead/{id}/delete",
					(request) -> action(request, () -> tasks().delete(request.pathVariable("id"))))
			.GET(path + "/api/listeners", (request) -> json(listeners().describe()))
			.POST(path + "/api/listeners/{id}/stop",
					(request) -> action(request, () -> listeners().stop(request.pathVariable("id"))))
			.POST(path + "/api/listeners/{id}/start",
					(request) -> action(request, () -> listeners().start(request.pathVariable("id"))))
			.GET(path + "/api/streams", (request) -> json(streams().describe()))
			.GET(path + "/api/streams/dead-letters",
					(request) -> json(
							streams().deadLetters(number(request, "before", 0), (int) number(request, "size", 20))))
			.POST(path + "/api/streams/dead-letters/{sequence}/republish",
					(request) -> action(request,
							() -> streams().republish(number(request.pathVariable("sequence"), "sequence"))))
			.GET(path + "/api/keystore", (request) -> json(keyStore().describe()))
			.GET(path + "/api/keystore/keys",
					(request) -> json(keyStore().keys(request.param("prefix").orElse(""),
							request.param("after").filter((after) -> !after.isEmpty()).orElse(null),
							(int) number(request, "size", 50))))
			.GET(path + "/api/instances", (request) -> json(instances().describe()))
			.filter((request, next) -> {
				try {
					this.access.check(request.servletRequest());
				}
				catch (ConsoleRefusedException ex) {
					// error handlers run inside the filters: this one answers for itself
					return failure(ex, request);
				}
				return next.handle(request);
			})
			.onError(Throwable.class, this::failure)
			.build();
	}

	private ServerResponse page(ServerRequest request) {
		return ServerResponse.ok()
			.contentType(new MediaType("text", "html", java.nio.charset.StandardCharsets.UTF_8))
			.cacheControl(CacheControl.noStore())
			.header("X-Content-Type-Options", "nosniff")
			.header("X-Frame-Options", "DENY")
			.body(this.page.html());
	}

	private ServerResponse asset(ServerRequest request) {
		ConsolePage.Asset asset = this.page.asset(request.pathVariable("file"));
		if (asset == null) {
			throw new ConsoleNotFoundException("The console has no file '" + request.pathVariable("file") + "'");
		}
		return ServerResponse.ok()
			.contentType(asset.type())
			.cacheControl(CacheControl.noCache())
			.header("X-Content-Type-Options", "nosniff")
			.body(asset.resource());
	}

	private ServerResponse session(ServerRequest serverRequest) {
		HttpServletRequest request = serverRequest.servletRequest();
		ConsoleCsrf.Issued issued = this.csrf.issue(request, this.settings.path());
		ConsoleCsrf.Token token = issued.token();
		Map<String, Object> session = new LinkedHashMap<>();
		session.put("application", this.settings.application());
		session.put("instance", this.settings.instanceId());
		session.put("actionsEnabled", this.settings.actionsEnabled());
		session.put("showValues", this.settings.showValues());
		session.put("csrf", Map.of("header", token.header(), "token", token.token()));
		ConsoleCsrf.Token security = this.csrf.securityToken(request);
		session.put("securityCsrf",
				(security != null) ? Map.of("header", security.header(), "token", security.token()) : null);
		session.put("refreshSeconds", Math.max(1, this.settings.refreshInterval().toSeconds()));
		session.put("user", (request.getUserPrincipal() != null) ? request.getUserPrincipal().getName() : null);
		session.put("views", this.views.names());
		session.put("charts", this.page.hasCharts());
		ServerResponse.BodyBuilder answer = ServerResponse.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.cacheControl(CacheControl.noStore());
		if (issued.cookie() != null) {
			answer.header(HttpHeaders.SET_COOKIE, issued.cookie().toString());
		}
		return answer.body(session);
	}

	private ServerResponse task(ServerRequest request) {
		String id = request.pathVariable("id");
		Map<String, Object> task = tasks().task(id);
		if (task == null) {
			throw new ConsoleNotFoundException("No task '" + id + "' is known: no status, result or dead letter");
		}
		return json(task);
	}

	private ServerResponse action(ServerRequest request, Supplier<Object> action) {
		if (!this.settings.actionsEnabled()) {
			throw new ConsoleRefusedException(403,
					"The console is read-only: set nats.console.actions-enabled=true to allow actions");
		}
		this.csrf.check(request.servletRequest());
		Object outcome = action.get();
		logger.info("natsboot console: " + request.path() + " by "
				+ ((request.servletRequest().getUserPrincipal() != null)
						? request.servletRequest().getUserPrincipal().getName() : "an anonymous user")
				+ " from " + request.servletRequest().getRemoteAddr());
		return json(outcome);
	}

	private static ServerResponse json(Object body) {
		return ServerResponse.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.cacheControl(CacheControl.noStore())
			.body(body);
	}

	private ServerResponse failure(Throwable failure, ServerRequest request) {
		if (failure instanceof ConsoleRefusedException refused) {
			return error(HttpStatus.valueOf(refused.getStatus()), refused.getMessage());
		}
		if (failure instanceof ConsoleNotFoundException) {
			return error(HttpStatus.NOT_FOUND, failure.getMessage());
		}
		if (failure instanceof IllegalArgumentException) {
			return error(HttpStatus.BAD_REQUEST, failure.getMessage());
		}
		if (failure instanceof NatsException) {
			// NATS away, or a server that refuses: the page shows the outage
			return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
				.contentType(MediaType.APPLICATION_JSON)
				.body(ConsoleSections.unavailable(NatsFailures.rootMessage(failure)));
		}
		logger.warn("natsboot console: " + request.path() + " failed", failure);
		return error(HttpStatus.INTERNAL_SERVER_ERROR, NatsFailures.rootMessage(failure));
	}

	private static ServerResponse error(HttpStatus status, @Nullable String message) {
		return ServerResponse.status(status)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("error", String.valueOf(message)));
	}

	private static long number(ServerRequest request, String name, long fallback) {
		return request.param(name)
			.filter((value) -> !value.isBlank())
			.map((value) -> number(value, name))
			.orElse(fallback);
	}

	private static long number(String value, String name) {
		try {
			return Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("'" + name + "' must be a number, not '" + value + "'");
		}
	}

	private TaskQueueView tasks() {
		return nats(present(this.views.tasks(), "task queue"));
	}

	private ListenerView listeners() {
		// the containers' own state: shown while NATS is away
		return present(this.views.listeners(), "listeners");
	}

	private StreamView streams() {
		return nats(present(this.views.streams(), "JetStream view"));
	}

	private KeyStoreView keyStore() {
		KeyStoreView view = present(this.views.keyStore(), "key store");
		return view.needsNats() ? nats(view) : view;
	}

	private InstanceView instances() {
		return nats(present(this.views.instances(), "instance registry"));
	}

	/**
	 * A view that asks the server answers at once while the connection is not
	 * established, rather than after the API timeouts of its calls: the operator opens
	 * the console exactly then.
	 */
	private <T> T nats(T view) {
		String outage = this.views.outage().get();
		if (outage != null) {
			throw new NatsNotConnectedException(outage);
		}
		return view;
	}

	private static <T> T present(@Nullable T view, String what) {
		if (view == null) {
			throw new ConsoleNotFoundException("This application has no " + what);
		}
		return view;
	}

	/**
	 * The views an application has: null for a feature it does not use.
	 *
	 * @param overview the overview
	 * @param tasks the task queues, or null
	 * @param listeners the listeners, or null
	 * @param streams the streams, or null
	 * @param keyStore the key store, or null
	 * @param instances the instances, or null
	 * @param outage why NATS cannot be asked now, or null while connected
	 */
	public record Views(OverviewView overview, @Nullable TaskQueueView tasks, @Nullable ListenerView listeners,
			@Nullable StreamView streams, @Nullable KeyStoreView keyStore, @Nullable InstanceView instances,
			Supplier<@Nullable String> outage) {

		List<String> names() {
			List<String> names = new ArrayList<>(List.of("overview"));
			if (this.tasks != null) {
				names.add("tasks");
			}
			if (this.listeners != null) {
				names.add("listeners");
			}
			if (this.streams != null) {
				names.add("streams");
			}
			if (this.keyStore != null) {
				names.add("keystore");
			}
			if (this.instances != null) {
				names.add("instances");
			}
			return names;
		}

	}

}
