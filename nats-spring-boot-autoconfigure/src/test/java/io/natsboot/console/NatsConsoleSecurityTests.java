package io.natsboot.console;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Spring Security, the console needs a signed-in user with its authority, and its
 * actions Security's CSRF token: a real servlet application on Boot's default security, a
 * real server, requests over HTTP.
 */
@WithNatsServer
class NatsConsoleSecurityTests {

	private static ConfigurableApplicationContext application;

	private static int port;

	@BeforeAll
	static void start(NatsServerProcess server) {
		application = new SpringApplicationBuilder(SecuredApplication.class)
			.properties("server.port=0", "nats.servers=" + server.url(), "nats.startup=fail", "nats.namespace=secured",
					"nats.drain-timeout=1s", "nats.console.enabled=true", "nats.console.actions-enabled=true",
					"management.tracing.export.enabled=false")
			.run();
		port = ((WebServerApplicationContext) application).getWebServer().getPort();
	}

	@AfterAll
	static void stop() {
		application.close();
	}

	@Test
	void anonymousRequestsAreRefused() throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		for (String path : new String[] { "/natsboot", "/natsboot/api/session", "/natsboot/api/tasks" }) {
			HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri(path)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as(path).isIn(401, 302);
			assertThat(answer.body()).doesNotContain("natsboot console");
		}
		HttpResponse<String> action = client.send(HttpRequest.newBuilder(uri("/natsboot/api/tasks/dead/purge"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(action.statusCode()).isIn(401, 403);
	}

	@Test
	void aUserWithoutTheAuthorityIsRefusedNamingIt() throws Exception {
		HttpResponse<String> answer = HttpClient.newHttpClient()
			.send(as("guest", HttpRequest.newBuilder(uri("/natsboot/api/overview"))).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(answer.statusCode()).isEqualTo(403);
		assertThat(answer.body()).contains("ROLE_NATS_CONSOLE").contains("nats.console.authority");
	}

	@Test
	void anOperatorSeesTheConsoleAndActsOnlyWithTheCsrfToken() throws Exception {
		HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
		HttpResponse<String> page = client.send(as("operator", HttpRequest.newBuilder(uri("/natsboot"))).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("/natsboot/assets/console.js");
		HttpResponse<String> session = client.send(
				as("operator", HttpRequest.newBuilder(uri("/natsboot/api/session"))).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(session.statusCode()).isEqualTo(200);
		Map<?, ?> described = JsonMapper.builder().build().readValue(session.body(), Map.class);
		assertThat(described.get("user")).isEqualTo("operator");
		Map<?, ?> own = (Map<?, ?>) described.get("csrf");
		Map<?, ?> security = (Map<?, ?>) described.get("securityCsrf");
		assertThat(own.get("header")).isEqualTo("X-Natsboot-Csrf");
		assertThat(security.get("header")).isEqualTo("X-CSRF-TOKEN");

		// Security's CSRF filter refuses it (its error page answers 401 or 403)
		assertThat(purge(client, Map.of()).statusCode()).isIn(401, 403);
		assertThat(purge(client, Map.of((String) own.get("header"), (String) own.get("token"))).statusCode()).isIn(401,
				403);
		// the console refuses it without its own
		HttpResponse<String> withoutOwn = purge(client,
				Map.of((String) security.get("header"), (String) security.get("token")));
		assertThat(withoutOwn.statusCode()).isEqualTo(403);
		assertThat(withoutOwn.body()).contains("CSRF token is missing or wrong");

		HttpResponse<String> withBoth = purge(client, Map.of((String) security.get("header"),
				(String) security.get("token"), (String) own.get("header"), (String) own.get("token")));
		assertThat(withBoth.statusCode()).as(withBoth.body()).isEqualTo(200);
		assertThat(withBoth.body()).isEqualTo("{\"purged\":0}");
	}

	@Test
	void anApplicationThatExemptsTheConsoleFromSecuritysCsrfStillNeedsTheConsolesToken(NatsServerProcess server)
			throws Exception {
		try (ConfigurableApplicationContext exempting = new SpringApplicationBuilder(SecuredApplication.class,
				ExemptingChain.class)
			.properties("server.port=0", "nats.servers=" + server.url(), "nats.startup=fail",
					"nats.namespace=exempting", "nats.drain-timeout=1s", "nats.console.enabled=true",
					"nats.console.actions-enabled=true", "management.tracing.export.enabled=false")
			.run()) {
			int exemptingPort = ((WebServerApplicationContext) exempting).getWebServer().getPort();
			HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
			URI purge = URI.create("http://localhost:" + exemptingPort + "/natsboot/api/tasks/dead/purge");
			HttpResponse<String> forged = client.send(
					as("operator", HttpRequest.newBuilder(purge)).POST(HttpRequest.BodyPublishers.noBody()).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(forged.statusCode()).isEqualTo(403);
			assertThat(forged.body()).contains("CSRF token is missing or wrong");
		}
	}

	private HttpResponse<String> purge(HttpClient client, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = as("operator", HttpRequest.newBuilder(uri("/natsboot/api/tasks/dead/purge")))
			.POST(HttpRequest.BodyPublishers.noBody());
		headers.forEach(request::header);
		return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest.Builder as(String user, HttpRequest.Builder request) {
		return request.header("Authorization",
				"Basic " + Base64.getEncoder().encodeToString((user + ":secret").getBytes(StandardCharsets.UTF_8)));
	}

	private static URI uri(String path) {
		return URI.create("http://localhost:" + port + path);
	}

	/**
	 * A chain that signs users in but exempts the console from Security's CSRF check.
	 */
	static class ExemptingChain {

		@Bean
		SecurityFilterChain exemptingChain(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.httpBasic(Customizer.withDefaults())
				.csrf((csrf) -> csrf.ignoringRequestMatchers("/natsboot/**"))
				.build();
		}

	}

	/**
	 * An application on Boot's default security (form and basic sign-in, CSRF on) with
	 * two users: an operator with the console's authority and a guest without.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SecuredApplication {

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("operator").password("{noop}secret").roles("NATS_CONSOLE").build(),
					User.withUsername("guest").password("{noop}secret").roles("USER").build());
		}

	}

}
