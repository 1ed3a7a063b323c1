package io.natsboot.starter;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import io.natsboot.test.NatsServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's "Using it" section as a newcomer follows it: the versions it names are the
 * ones the starter is built with, and its Java snippet, with the imports it shows,
 * compiles against the starter alone and works against a real {@code nats-server}.
 */
@ExtendWith(OutputCaptureExtension.class)
class UsingItTests {

	private static final Path README = Path.of("..", "README.md");

	@Test
	void theDependencyAndVersionsAreTheOnesTheStarterIsBuiltWith() throws IOException {
		String usingIt = usingIt();
		String version = projectVersion();
		assertThat(usingIt).contains("<artifactId>nats-spring-boot-starter</artifactId>")
			.contains("<version>" + version + "</version>")
			.contains("tested with Spring Boot\n" + SpringBootVersion.getVersion() + " ")
			.contains("./mvnw -q install -DskipTests");
		assertThat(SpringBootVersion.getVersion()).startsWith("4.1.");
		assertThat(usingIt).contains("Spring Boot 4.1 ").contains("Java 17 or newer");
	}

	@Test
	void theSnippetCompilesWithItsImportsAndGreetsThroughNats(@TempDir Path work, CapturedOutput output)
			throws Exception {
		Matcher snippet = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(usingIt());
		assertThat(snippet.find()).as("a Java snippet in Using it").isTrue();
		Path source = work.resolve("src/com/example/greetings/Greetings.java");
		Files.createDirectories(source.getParent());
		Files.writeString(source, snippet.group(1));
		Path classes = Files.createDirectories(work.resolve("classes"));
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		int status = compiler.run(null, null, null, "-proc:none", "-classpath", System.getProperty("java.class.path"),
				"-d", classes.toString(), source.toString());
		assertThat(status).as("javac of the README's snippet (see the output above)").isZero();

		try (NatsServerProcess server = NatsServerProcess.startDefault();
				URLClassLoader loader = new URLClassLoader(new URL[] { classes.toUri().toURL() },
						getClass().getClassLoader())) {
			List<Class<?>> sources = new ArrayList<>(List.of(Application.class));
			Class<?> greeter = loader.loadClass("com.example.greetings.Greeter");
			sources.add(greeter);
			sources.add(loader.loadClass("com.example.greetings.GreetingLog"));
			SpringApplication application = new SpringApplication(sources.toArray(Class[]::new));
			application.setWebApplicationType(WebApplicationType.NONE);
			application.setResourceLoader(new org.springframework.core.io.DefaultResourceLoader(loader));
			try (ConfigurableApplicationContext context = application.run("--nats.servers=" + server.url(),
					"--spring.main.banner-mode=off")) {
				Class<?> greeting = loader.loadClass("com.example.greetings.Greeting");
				Constructor<?> newGreeting = greeting.getDeclaredConstructor(String.class, String.class);
				newGreeting.setAccessible(true);
				Method greet = greeter.getDeclaredMethod("greet", greeting);
				greet.setAccessible(true);
				Object bean = context.getBean(greeter);
				await().untilAsserted(() -> {
					greet.invoke(bean, newGreeting.newInstance("ann", "hello"));
					assertThat(output).contains("Received Greeting[from=ann, text=hello]");
				});
			}
		}
	}

	private static String usingIt() throws IOException {
		String readme = Files.readString(README);
		int start = readme.indexOf("\n## Using it\n");
		return readme.substring(start, readme.indexOf("\n### ", start));
	}

	private static String projectVersion() throws IOException {
		Matcher version = Pattern.compile("<artifactId>natsboot-parent</artifactId>\\s*<version>([^<]+)</version>")
			.matcher(Files.readString(Path.of("pom.xml")));
		assertThat(version.find()).isTrue();
		return version.group(1);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

	}

}
