/* Training mode's 'Vis hvor': frame the element(s) to click next on the live page.
 *
 * The targets come from the step catalogue (catalogue/training.toml) through the JSON in
 * #training-targets: an ARIA role, an accessible name (case and spacing ignored) and optionally
 * the name of the landmark or group it is inside. The switch's state is kept per browser. */
(function () {
  "use strict";
  var ROLES = {
    link: "a[href], [role=link]",
    button: "button, input[type=submit], input[type=button], [role=button]",
    checkbox: "input[type=checkbox]:not([role=switch]), [role=checkbox]",
    textbox: "input:not([type]), input[type=text], input[type=password], textarea, [role=textbox]",
    status: "[role=status]"
  };
  var KEY = "sesag.visHvor";

  function norm(text) {
    return (text || "").replace(/\s+/g, " ").trim().replace(/[\s:*]+$/, "").toLowerCase();
  }

  function textOf(el) {  /* its text, without what is hidden from assistive technology */
    return Array.prototype.map.call(el.childNodes, function (node) {
      if (node.nodeType === 3) return node.nodeValue;
      if (node.nodeType !== 1 || node.getAttribute("aria-hidden") === "true") return "";
      return textOf(node);
    }).join("");
  }

  function nameOf(el) {
    if (el.getAttribute("aria-label")) return el.getAttribute("aria-label");
    var by = el.getAttribute("aria-labelledby");
    if (by) {
      return by.split(/\s+/).map(function (id) {
        var other = document.getElementById(id);
        return other ? textOf(other) : "";
      }).join(" ");
    }
    if (el.labels && el.labels.length) {
      return Array.prototype.map.call(el.labels, textOf).join(" ");
    }
    if (el.tagName === "INPUT") return el.value;
    return textOf(el);
  }

  function insideOf(el, name) {
    for (var up = el.parentElement; up; up = up.parentElement) {
      if (norm(up.getAttribute("aria-label")) === norm(name)) return true;
    }
    return false;
  }

  function find(target) {
    var panel = document.querySelector("aside.training");
    return Array.prototype.filter.call(document.querySelectorAll(ROLES[target.role] || "none"), function (el) {
      return !(panel && panel.contains(el))
        && (!target.name || norm(nameOf(el)) === norm(target.name))
        && (!target.within || insideOf(el, target.within));
    });
  }

  function show(on) {
    var data = document.getElementById("training-targets");
    var targets = data ? JSON.parse(data.textContent) : [];
    Array.prototype.forEach.call(document.querySelectorAll(".training-target"), function (el) {
      el.classList.remove("training-target");
    });
    if (on) {
      targets.forEach(function (target) {
        find(target).forEach(function (el) { el.classList.add("training-target"); });
      });
    }
    document.documentElement.setAttribute("data-training-shown", on ? "ja" : "nej");
  }

  var toggle = document.getElementById("training-show");
  if (!toggle) return;
  try { toggle.checked = window.localStorage.getItem(KEY) !== "nej"; } catch (e) { /* storage off */ }
  toggle.addEventListener("change", function () {
    try { window.localStorage.setItem(KEY, toggle.checked ? "ja" : "nej"); } catch (e) { /* storage off */ }
    show(toggle.checked);
  });
  show(toggle.checked);
})();
