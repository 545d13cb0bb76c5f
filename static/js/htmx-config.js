// htmx would otherwise add its indicator rules as an inline <style>, which our Content
// Security Policy refuses; the same rules live in css/app.css instead. htmx reads its
// configuration when the document is ready, after this deferred script has run.
htmx.config.includeIndicatorStyles = false;
