/* The Archive: small enhancements. Every page works without this file. */
(function () {
  "use strict";

  var FACET_FILTER_MIN = 9; // a filter box once a facet has more values than fit unfolded

  function normalise(text) {
    return (text || "").toLocaleLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  /* Facets with many values: a filter box above the list that searches all values,
     opening "show all" while a filter is typed. */
  function enhanceFacets() {
    var sections = document.querySelectorAll(".facet[data-facet]");
    Array.prototype.forEach.call(sections, function (section) {
      var items = section.querySelectorAll(".facet__item");
      if (items.length < FACET_FILTER_MIN) return;
      var more = section.querySelector(".facet__more");
      var title = section.querySelector(".facet__title");
      var id = "facet-filter-" + section.getAttribute("data-facet");
      var label = document.createElement("label");
      label.className = "visually-hidden";
      label.htmlFor = id;
      label.textContent = "Filter " + (title ? title.textContent.trim() : "values");
      var input = document.createElement("input");
      input.type = "search";
      input.id = id;
      input.className = "facet__filter";
      input.placeholder = "Filter " + items.length + " values…";
      input.autocomplete = "off";
      var empty = document.createElement("p");
      empty.className = "facet__empty";
      empty.textContent = "No value matches.";
      empty.hidden = true;
      var wasOpen = more ? more.open : false;
      input.addEventListener("input", function () {
        var needle = normalise(input.value.trim());
        var shown = 0;
        Array.prototype.forEach.call(items, function (item) {
          var link = item.querySelector("[data-value]");
          var value = normalise(link ? link.getAttribute("data-value") : item.textContent);
          var match = !needle || value.indexOf(needle) !== -1;
          item.hidden = !match;
          if (match) shown += 1;
        });
        empty.hidden = shown !== 0;
        if (more) {
          if (needle) {
            more.open = true;
          } else {
            more.open = wasOpen;
          }
        }
      });
      if (more) {
        more.addEventListener("toggle", function () {
          if (!input.value) wasOpen = more.open;
        });
      }
      title.insertAdjacentElement("afterend", label);
      label.insertAdjacentElement("afterend", input);
      section.appendChild(empty);
    });
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "offscreen";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      document.body.removeChild(area);
      if (ok) {
        resolve();
      } else {
        reject(new Error("copy failed"));
      }
    });
  }

  /* Copy buttons: <button data-copy="#selector" data-copied-label="Copied"> */
  function enhanceCopyButtons() {
    var buttons = document.querySelectorAll("button[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      var original = button.textContent;
      var status = button.parentNode.querySelector(".copy-status");
      button.addEventListener("click", function () {
        var target = document.querySelector(button.getAttribute("data-copy"));
        if (!target) return;
        var text = target.textContent.replace(/\s+/g, " ").trim();
        copyText(text).then(
          function () {
            button.textContent = button.getAttribute("data-copied-label") || "Copied";
            button.classList.add("is-done");
            button.setAttribute("data-copied-text", text);
            if (status) status.textContent = "Citation copied to the clipboard.";
            window.setTimeout(function () {
              button.textContent = original;
              button.classList.remove("is-done");
            }, 4000);
          },
          function () {
            var range = document.createRange();
            range.selectNodeContents(target);
            var selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            if (status) status.textContent = "Press Ctrl+C (⌘C) to copy the selected citation.";
          }
        );
      });
    });
  }

  /* "/" focuses the search box, as on most search sites. */
  function enhanceHotkey() {
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      var tag = (document.activeElement && document.activeElement.tagName) || "";
      if (/^(INPUT|TEXTAREA|SELECT)$/.test(tag) || document.activeElement.isContentEditable) return;
      var box = document.querySelector("input[data-hotkey='/']");
      if (!box) return;
      event.preventDefault();
      box.focus();
      box.select();
    });
  }

  /* Facet values are links with role="checkbox": Space ticks them, as it does a checkbox. */
  function enhanceFacetCheckboxes() {
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.key !== " " || !target.matches || !target.matches("a[role='checkbox']")) return;
      event.preventDefault();
      target.click();
    });
  }

  /* At phone widths the filters fold behind their "Filters" summary (open without this
     file, so they are never out of reach); wider, they are always open. */
  function enhanceFilterToggle() {
    var filters = document.querySelector("details.filters");
    if (!filters || !window.matchMedia) return;
    var phone = window.matchMedia("(max-width: 760px)");
    function fit() {
      filters.open = !phone.matches;
    }
    fit();
    if (phone.addEventListener) phone.addEventListener("change", fit);
  }

  function init() {
    document.documentElement.classList.add("js");
    enhanceFacets();
    enhanceFacetCheckboxes();
    enhanceFilterToggle();
    enhanceCopyButtons();
    enhanceHotkey();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
